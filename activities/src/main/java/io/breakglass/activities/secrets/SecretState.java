package io.breakglass.activities.secrets;

import io.breakglass.workflows.messages.values.LeftoverVersion;
import java.util.List;
import java.util.Optional;

/**
 * A secret and all its versions, without material.
 *
 * @param name the secret
 * @param versions every version, oldest first
 */
public record SecretState(String name, List<SecretVersion> versions) {

  /** The version carrying {@code label}, if any. */
  public Optional<SecretVersion> labelled(Label label) {
    return versions.stream().filter(v -> v.has(label)).findFirst();
  }

  /** The version with this id, if any. */
  public Optional<SecretVersion> version(String versionId) {
    return versions.stream().filter(v -> v.versionId().equals(versionId)).findFirst();
  }

  /**
   * Every version still usable that is neither CURRENT nor PREVIOUS: a PENDING one whose rotation
   * never finished, or one an interrupted rotation was replacing and never revoked.
   */
  public List<LeftoverVersion> leftovers() {
    return versions.stream()
        .filter(v -> v.status() == VersionStatus.ACTIVE)
        .filter(v -> !v.has(Label.CURRENT) && !v.has(Label.PREVIOUS))
        .map(
            v ->
                new LeftoverVersion(
                    v.versionId(), v.has(Label.PENDING), v.metadata().get("rotationId")))
        .toList();
  }
}
