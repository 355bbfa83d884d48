package io.breakglass.activities.secrets.vault;

import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.workflows.RotationErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the Vault token comes from: an environment variable, else a file (a Vault Agent sink is
 * renewed in place, so the file is read at each call). The token is never logged, never part of a
 * message, and {@link #toString} names only its source.
 */
public final class VaultToken {

  private final String env;
  private final Path file;
  private final Function<String, String> environment;

  /**
   * @param env the variable that holds the token
   * @param file the file that holds it when the variable is unset; null for none
   * @param environment how variables are read ({@code System::getenv} outside tests)
   */
  public VaultToken(String env, Path file, Function<String, String> environment) {
    this.env = env;
    this.file = file;
    this.environment = environment;
  }

  /** The token now. */
  String value() {
    String fromEnv = env == null ? null : environment.apply(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    if (file == null) {
      throw new SecretStoreException(
          RotationErrors.INVALID_CONFIGURATION,
          "no Vault token: " + env + " is not set and rotation.vault.tokenFile is not configured");
    }
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new SecretStoreException(
            RotationErrors.INVALID_CONFIGURATION, "the Vault token file " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new SecretStoreException(
          RotationErrors.INVALID_CONFIGURATION,
          "cannot read the Vault token file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public String toString() {
    return "VaultToken(from "
        + (env == null ? "" : "$" + env)
        + (file == null ? "" : " or " + file)
        + ")";
  }
}
