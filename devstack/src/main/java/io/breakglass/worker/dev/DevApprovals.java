package io.breakglass.worker.dev;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.config.ApprovalsConfig;
import io.breakglass.activities.config.RotationSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The approval rules of {@code dev} and {@code demo}. By default unsigned decisions count, marked
 * unverified, so a demo needs no keys. An {@code approvals.json} in the data folder replaces them
 * with its own {@code rotation.approvals} section, written in JSON: registered Ed25519 keys to try
 * {@code breakglass approval sign} (from the CLI, the console or the Temporal Web UI), an identity
 * provider, or {@code allowUnsigned: false} to see what production refuses.
 *
 * <pre>{@code
 * {"allowUnsigned": true, "keys": {"bob": {"bob-1": "<what approval keygen prints>"}}}
 * }</pre>
 */
final class DevApprovals {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private DevApprovals() {}

  /**
   * {@code settings} with the rules of the data folder's {@code approvals.json}, or unchanged
   * without one.
   *
   * @throws IllegalArgumentException naming the file when it is no valid {@code rotation.approvals}
   */
  static RotationSettings apply(DevLayout layout, RotationSettings settings) {
    Path file = layout.approvals();
    if (!Files.exists(file)) {
      return settings;
    }
    ApprovalsConfig approvals;
    try {
      approvals = JSON.readValue(file.toFile(), ApprovalsConfig.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          file + " is no rotation.approvals section: " + e.getMessage(), e);
    }
    if (!approvals.isSomethingVerifiable()) {
      throw new IllegalArgumentException(
          file
              + ": with allowUnsigned false, list keys or an oidc provider, or no rotation can start");
    }
    return settings.withApprovals(approvals);
  }
}
