package io.breakglass.activities.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The keys of an environment Secret that carry one secret's versions.
 *
 * @param secret the secret (one the deployment reads)
 * @param current the key that holds the primary version, e.g. {@code ARTIFACT_KEY}
 * @param previous the keys that hold the decrypt-only versions, in keyring order, e.g. {@code
 *     [ARTIFACT_KEY_PREVIOUS]}; a key with no version to hold is removed from the Secret (so the
 *     pods must reference it with {@code optional: true})
 * @param encoding how the material is written (default BASE64)
 */
public record EnvironmentKeys(
    @NotBlank String secret,
    @NotBlank String current,
    @NotNull List<String> previous,
    EnvironmentEncoding encoding) {

  public EnvironmentKeys {
    previous = previous == null ? List.of() : List.copyOf(previous);
    encoding = encoding == null ? EnvironmentEncoding.BASE64 : encoding;
  }
}
