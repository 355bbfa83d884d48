package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import javax.crypto.SecretKey;

/**
 * The keys backups are encrypted under: a secret of their own ({@code breakglass-backup-key} in
 * production), never the data keys a rotation replaces, so a backup still decrypts whatever happens
 * to those. New backups use {@link #current()}; a backup names its key id in its header, and {@link
 * #key} resolves it, so backups made under an earlier backup key still restore.
 */
public interface BackupKeys extends Keyring {

  /** The key new backups are encrypted under. */
  KeyId current();

  /** Backup keys resolved through {@code keyring}, with {@code current} for new backups. */
  static BackupKeys of(KeyId current, Keyring keyring) {
    return new BackupKeys() {
      @Override
      public KeyId current() {
        return current;
      }

      @Override
      public SecretKey key(KeyId keyId) {
        return keyring.key(keyId);
      }
    };
  }
}
