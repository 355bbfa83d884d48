package io.breakglass.activities.secrets;

import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.secrets.aws.AwsSecretsManagerStore;
import io.breakglass.activities.secrets.aws.SecretsManagerClients;
import java.time.Clock;

/**
 * The one way a Breakglass process builds its secret store: the worker, the operator API, {@code
 * dev}, {@code demo}, {@code bench}, {@code verify} and {@code adopt} all call {@link #open}. So a
 * value the API stages for a secret lands in the store the worker's CREATE_VERSION reads it from,
 * whichever store the configuration names for that secret.
 */
public final class SecretStores {

  private SecretStores() {}

  /**
   * The stores {@code settings} names, routed per secret ({@link RoutedSecretStore}): the local
   * store from {@code secretStore} (master key from the real environment or its file), Secrets
   * Manager with region and endpoint from {@code aws} and credentials from the default provider
   * chain, Vault from {@code vault} with its token from the real environment or its file. Each is
   * opened only when some secret needs it, so a configuration without a local store needs no master
   * key.
   *
   * @throws SecretStoreException {@code INVALID_CONFIGURATION} when a LOCAL secret has no {@code
   *     secretStore}, or a VAULT secret no {@code vault}
   */
  public static SecretStore open(RotationSettings settings) {
    return RoutedSecretStore.of(
        settings,
        () -> LocalSecretStore.open(settings.secretStore()),
        () ->
            new AwsSecretsManagerStore(
                SecretsManagerClients.open(settings.aws()), settings.secrets(), Clock.systemUTC()));
  }
}
