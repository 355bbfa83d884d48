package io.breakglass.api.core;

import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.api.wire.Ids;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Response;

/**
 * Operator-supplied values (API keys Breakglass cannot generate) on their way to the secret store,
 * for the configured {@code API_KEY} secrets only. The value is never kept, quoted or logged here.
 */
public final class PendingValues {

  private final RotationSettings settings;
  private final SecretStore store;

  public PendingValues(RotationSettings settings, SecretStore store) {
    this.settings = settings;
    this.store = store;
  }

  /**
   * The configured secret {@code secret} names when it takes an operator-supplied value: 400 for a
   * malformed name, 404 when it is not configured, 409 when Breakglass generates its values.
   */
  public String operatorSupplied(String secret) {
    if (!secret.matches(Ids.SECRET_NAME)) {
      throw new BadRequestException("secret names are letters, digits, '.', '_' and '-'");
    }
    SecretConfig config =
        settings
            .secret(secret)
            .orElseThrow(() -> new NotFoundException("secret " + secret + " is not configured"));
    if (config.kind() != SecretKind.API_KEY) {
      throw new ClientErrorException(
          "secret "
              + secret
              + " is a "
              + config.kind()
              + ", which Breakglass generates; only API_KEY"
              + " secrets take an operator-supplied value",
          Response.Status.CONFLICT);
    }
    return config.name();
  }

  /**
   * Stages {@code value} for the next rotation of {@code secret}: 400 when the store refuses it as
   * invalid, 503 when the store cannot take it.
   */
  public void stage(String secret, byte[] value) {
    try {
      store.stage(secret, value);
    } catch (SecretStoreException e) {
      if (e.error() == RotationErrors.INVALID_REQUEST) {
        throw new BadRequestException(e.getMessage());
      }
      throw new ServiceUnavailableException(
          "the secret store did not take the value of " + secret + " (" + e.error() + ")");
    }
  }
}
