package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.secrets.FirstVersion;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.workflows.RotationErrors;
import java.security.SecureRandom;
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
                    () ->
                        RotationErrors.INVALID_CONFIGURATION.failure(
                            SECRET + " has no CURRENT version")));
  }

  /** Creates the backup key on first use: 32 random bytes, CURRENT at once. */
  public static void ensure(SecretStore store) {
    FirstVersion.ensure(
        store,
        SECRET,
        () -> {
          byte[] material = new byte[32];
          RANDOM.nextBytes(material);
          return material;
        });
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
