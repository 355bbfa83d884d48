package io.breakglass.api.health;

import com.codahale.metrics.health.HealthCheck;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.workflows.RotationErrors;

/**
 * The secret store can be read: describing a configured secret works (a secret not created yet
 * counts as readable). Reads metadata only, never material.
 */
public final class SecretStoreHealth extends HealthCheck {

  private final SecretStore store;
  private final String secret;

  public SecretStoreHealth(SecretStore store, String secret) {
    this.store = store;
    this.secret = secret;
  }

  @Override
  protected Result check() {
    try {
      store.describe(secret);
      return Result.healthy();
    } catch (SecretStoreException e) {
      return e.error() == RotationErrors.VERSION_NOT_FOUND
          ? Result.healthy("secret " + secret + " does not exist yet")
          : Result.unhealthy(e.error() + ": " + e.getMessage());
    }
  }
}
