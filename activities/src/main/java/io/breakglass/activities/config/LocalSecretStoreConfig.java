package io.breakglass.activities.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * The local encrypted secret store (the development fallback the runbook mentions).
 *
 * @param path the store file
 * @param masterKeyEnv environment variable holding the base64 master key (default {@code
 *     BREAKGLASS_MASTER_KEY}); takes precedence over the file
 * @param masterKeyFile a file holding the base64 master key, readable by its owner only (0600)
 */
public record LocalSecretStoreConfig(@NotNull Path path, String masterKeyEnv, Path masterKeyFile) {

  public LocalSecretStoreConfig {
    masterKeyEnv = masterKeyEnv == null ? "BREAKGLASS_MASTER_KEY" : masterKeyEnv;
  }
}
