package io.breakglass.activities.secrets;

import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.secrets.vault.VaultKvStore;
import io.breakglass.workflows.RotationErrors;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sends each secret to the store its configuration names ({@code store: LOCAL}, {@code
 * AWS_SECRETS_MANAGER} or {@code VAULT}). A secret the configuration does not list (Breakglass's
 * own {@code breakglass-backup-key}) goes to the local store when one is configured, else to
 * Secrets Manager, else to Vault: Breakglass's key then lives beside the secrets it protects. A
 * secret kept in another form than RAW is read and written through its {@link EncodedSecretStore}.
 * Processes build it through {@link SecretStores#open}.
 */
public final class RoutedSecretStore implements SecretStore {

  private final Map<String, SecretStore> bySecret;
  private final SecretStore unlisted;

  private RoutedSecretStore(Map<String, SecretStore> bySecret, SecretStore unlisted) {
    this.bySecret = Map.copyOf(bySecret);
    this.unlisted = unlisted;
  }

  /**
   * Routes {@code settings}' secrets to {@code local} and {@code aws}; each is opened only when
   * some secret needs it.
   *
   * @throws SecretStoreException {@code INVALID_CONFIGURATION} when a LOCAL secret has no {@code
   *     secretStore}
   */
  public static RoutedSecretStore of(
      RotationSettings settings, Supplier<SecretStore> local, Supplier<SecretStore> aws) {
    return of(
        settings,
        local,
        aws,
        () ->
            new VaultKvStore(
                settings.vault(), settings.secrets(), Clock.systemUTC(), System::getenv));
  }

  /**
   * Routes {@code settings}' secrets to {@code local}, {@code aws} and {@code vault}; each is
   * opened only when some secret needs it.
   *
   * @throws SecretStoreException {@code INVALID_CONFIGURATION} when a LOCAL secret has no {@code
   *     secretStore}, or a VAULT one no {@code vault}
   */
  public static RoutedSecretStore of(
      RotationSettings settings,
      Supplier<SecretStore> local,
      Supplier<SecretStore> aws,
      Supplier<SecretStore> vault) {
    SecretStore localStore = settings.secretStore() == null ? null : local.get();
    SecretStore awsStore = null;
    SecretStore vaultStore = null;
    Map<String, SecretStore> bySecret = new LinkedHashMap<>();
    for (SecretConfig secret : settings.secrets()) {
      if (secret.store() == SecretStoreType.LOCAL) {
        if (localStore == null) {
          throw new SecretStoreException(
              RotationErrors.INVALID_CONFIGURATION,
              "secret "
                  + secret.name()
                  + " is kept in the LOCAL store, but rotation.secretStore is not configured");
        }
        bySecret.put(secret.name(), EncodedSecretStore.of(localStore, secret));
      } else if (secret.store() == SecretStoreType.VAULT) {
        if (settings.vault() == null) {
          throw new SecretStoreException(
              RotationErrors.INVALID_CONFIGURATION,
              "secret "
                  + secret.name()
                  + " is kept in VAULT, but rotation.vault is not configured");
        }
        vaultStore = vaultStore == null ? vault.get() : vaultStore;
        bySecret.put(secret.name(), EncodedSecretStore.of(vaultStore, secret));
      } else {
        awsStore = awsStore == null ? aws.get() : awsStore;
        bySecret.put(secret.name(), EncodedSecretStore.of(awsStore, secret));
      }
    }
    SecretStore unlisted =
        localStore != null
            ? localStore
            : awsStore != null ? awsStore : vaultStore != null ? vaultStore : aws.get();
    return new RoutedSecretStore(bySecret, unlisted);
  }

  /** The store that keeps {@code secret}. */
  public SecretStore storeOf(String secret) {
    return bySecret.getOrDefault(secret, unlisted);
  }

  @Override
  public SecretState describe(String secret) {
    return storeOf(secret).describe(secret);
  }

  @Override
  public byte[] material(String secret, String versionId) {
    return storeOf(secret).material(secret, versionId);
  }

  @Override
  public SecretVersion createPending(
      String secret, String versionId, byte[] value, Map<String, String> metadata) {
    return storeOf(secret).createPending(secret, versionId, value, metadata);
  }

  @Override
  public void annotate(String secret, String versionId, Map<String, String> metadata) {
    storeOf(secret).annotate(secret, versionId, metadata);
  }

  @Override
  public void moveCurrent(String secret, String versionId) {
    storeOf(secret).moveCurrent(secret, versionId);
  }

  @Override
  public void restoreLabels(String secret, String currentVersionId, String previousVersionId) {
    storeOf(secret).restoreLabels(secret, currentVersionId, previousVersionId);
  }

  @Override
  public void discard(String secret, String versionId) {
    storeOf(secret).discard(secret, versionId);
  }

  @Override
  public void revoke(String secret, String versionId, String rotationId) {
    storeOf(secret).revoke(secret, versionId, rotationId);
  }

  @Override
  public void unrevoke(String secret, String versionId, String rotationId) {
    storeOf(secret).unrevoke(secret, versionId, rotationId);
  }

  @Override
  public void stage(String secret, byte[] value) {
    storeOf(secret).stage(secret, value);
  }

  @Override
  public byte[] staged(String secret) {
    return storeOf(secret).staged(secret);
  }

  @Override
  public void clearStaged(String secret) {
    storeOf(secret).clearStaged(secret);
  }

  @Override
  public String toString() {
    return "RoutedSecretStore(" + bySecret + ", unlisted -> " + unlisted + ")";
  }
}
