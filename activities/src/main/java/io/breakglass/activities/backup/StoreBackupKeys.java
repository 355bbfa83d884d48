package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.VersionIds;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * Backup keys from the secret store: secret {@value #SECRET}, whose CURRENT version encrypts new
 * backups and whose other versions still restore older ones. Build one per activity execution.
 */
public final class StoreBackupKeys implements BackupKeys {

  /** The secret backups are encrypted under. */
  public static final String SECRET = "breakglass-backup-key";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final StoreKeyring keyring;
  private final KeyId current;

  public StoreBackupKeys(SecretStore store) {
    this.keyring = new StoreKeyring(store);
    this.current =
        new KeyId(
            SECRET,
            store
                .describe(SECRET)
                .labelled(Label.CURRENT)
                .map(SecretVersion::versionId)
                .orElseThrow(
                    () -> RotationErrors.INVALID_CONFIGURATION.failure(SECRET + " has no CURRENT version")));
  }

  /**
   * Creates the backup key on first use: 32 random bytes, CURRENT at once. A no-op when it exists;
   * safe when two workers start together (the version id is fixed, so the loser's create is
   * refused and it finds the winner's key).
   */
  public static void ensure(SecretStore store) {
    try {
      store.describe(SECRET);
      return;
    } catch (SecretStoreException e) {
      if (e.error() != RotationErrors.VERSION_NOT_FOUND) {
        throw e;
      }
    }
    String versionId = VersionIds.forRotation("initial", SECRET);
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    try {
      store.createPending(SECRET, versionId, material, Map.of("rotationId", "initial"));
      store.moveCurrent(SECRET, versionId);
    } catch (SecretStoreException e) {
      if (e.error() != RotationErrors.IDEMPOTENCY_CONFLICT) {
        throw e;
      }
      store.moveCurrent(SECRET, versionId);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  @Override
  public KeyId current() {
    return current;
  }

  @Override
  public SecretKey key(KeyId keyId) {
    return keyring.key(keyId);
  }
}
