package io.breakglass.api.health;

import com.codahale.metrics.health.HealthCheck;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.workflows.RotationErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The secret stores can be read: describing a configured secret works (a secret not created yet
 * counts as readable). Reads metadata only, never material.
 */
public final class SecretStoreHealth extends HealthCheck {

  private final SecretStore store;
  private final List<String> secrets;

  private SecretStoreHealth(SecretStore store, List<String> secrets) {
    this.store = store;
    this.secrets = List.copyOf(secrets);
  }

  /** Checks one configured secret in each store the configuration uses (local, Secrets Manager). */
  public static SecretStoreHealth ofEachStore(SecretStore store, RotationSettings settings) {
    Map<SecretStoreType, String> firstByStore =
        settings.secrets().stream()
            .collect(
                Collectors.toMap(SecretConfig::store, SecretConfig::name, (first, later) -> first));
    return new SecretStoreHealth(store, List.copyOf(firstByStore.values()));
  }

  @Override
  protected Result check() {
    List<String> notYet = new ArrayList<>();
    for (String secret : secrets) {
      try {
        store.describe(secret);
      } catch (SecretStoreException e) {
        if (e.error() != RotationErrors.VERSION_NOT_FOUND) {
          return Result.unhealthy("secret " + secret + ": " + e.error() + ": " + e.getMessage());
        }
        notYet.add(secret);
      }
    }
    return notYet.isEmpty()
        ? Result.healthy()
        : Result.healthy("not created yet: " + String.join(", ", notYet));
  }
}
