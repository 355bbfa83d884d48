package io.breakglass.activities.backup;

import com.fasterxml.jackson.core.JacksonException;
import io.breakglass.activities.crypto.DecryptingInputStream;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.workflows.activities.BackupActivities.RestoreResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.function.LongConsumer;

/**
 * The contingency restore of one data set: trust the backup only once its manifest matches the
 * request and its checksum matches the file, then stream it through {@link UndecryptableRestore}
 * and count, with a full scan, what still does not decrypt.
 */
final class DataSetRestore {

  private static final int BUFFER_BYTES = 1 << 16;

  private final BackupKeys keys;
  private final Keyring keyring;

  /**
   * @param keyring decrypts the data set's items
   */
  DataSetRestore(BackupKeys keys, Keyring keyring) {
    this.keys = keys;
    this.keyring = keyring;
  }

  /**
   * Restores {@code dataSet} from the backup at {@code location}.
   *
   * @throws UnusableBackupException when the backup is missing, its manifest does not match, or its
   *     checksum does not
   */
  RestoreResult run(
      ProtectedDataSet dataSet,
      BackupLocation location,
      SnapshotFormat format,
      LongConsumer progress)
      throws IOException {
    BackupManifest manifest = checkedManifest(dataSet, location);
    long restored;
    try (InputStream file = Files.newInputStream(location.file());
        DecryptingInputStream plaintext =
            new DecryptingInputStream(
                new BufferedInputStream(file, BUFFER_BYTES), keys, location.associatedData())) {
      restored =
          new UndecryptableRestore(dataSet, keyring, location.backupId())
              .run(format.items(plaintext, manifest), progress);
    }
    long stillUndecryptable =
        new DataSetScanner(dataSet.name(), dataSet.store(), dataSet.codec(), keyring)
            .scan(0, progress)
            .undecryptable();
    return new RestoreResult(dataSet.name(), restored, stillUndecryptable);
  }

  private BackupManifest checkedManifest(ProtectedDataSet dataSet, BackupLocation location)
      throws IOException {
    String backup = "backup " + location.backupId();
    if (!location.dataSet().equals(dataSet.name())) {
      throw new UnusableBackupException(backup + " is not a backup of data set " + dataSet.name());
    }
    BackupManifest manifest;
    try {
      manifest = BackupManifest.read(location.manifest());
    } catch (NoSuchFileException e) {
      throw new UnusableBackupException(backup + " has no manifest at " + location.manifest());
    } catch (JacksonException e) {
      throw new UnusableBackupException(
          backup + ": its manifest is not readable JSON of a known format");
    }
    if (manifest.formatVersion() < BackupManifest.FIRST_FORMAT_VERSION
        || manifest.formatVersion() > BackupManifest.FORMAT_VERSION
        || !location.backupId().equals(manifest.backupId())
        || !dataSet.name().equals(manifest.dataSet())
        || manifest.type() != dataSet.config().type()) {
      throw new UnusableBackupException(
          backup + ": its manifest describes another backup or format");
    }
    if (!Files.isRegularFile(location.file())) {
      throw new UnusableBackupException(backup + " is missing: no file at " + location.file());
    }
    String actual = Sha256.of(location.file());
    if (!actual.equals(manifest.sha256())) {
      throw new UnusableBackupException(
          backup
              + ": sha256 of the file is "
              + actual
              + ", the manifest says "
              + manifest.sha256());
    }
    return manifest;
  }
}
