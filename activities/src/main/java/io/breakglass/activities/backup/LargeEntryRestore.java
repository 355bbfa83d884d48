package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.DecryptingInputStream;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.LargeItem;
import io.breakglass.activities.data.LargeItemSession;
import io.breakglass.activities.data.LargeItemSession.Outcome;
import io.breakglass.activities.data.ProtectedDataSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Puts one streamed backup entry back, by the rules of {@link UndecryptableRestore}: only where the
 * object still exists and its current value does not decrypt. The entry streams into a multipart
 * upload completed only if the object is still the version looked at, and is decrypted as it
 * streams, so memory holds a part and a segment. An entry that does not decrypt either aborts the
 * upload (the object stays as it is) and fails the restore naming the object: a backup that cannot
 * give a large object back must say so.
 */
final class LargeEntryRestore {

  private final ProtectedDataSet dataSet;
  private final Keyring keyring;
  private final String backupId;
  private final BiPredicate<String, byte[]> decryptsWhole;

  /**
   * @param decryptsWhole whether a value read whole decrypts under its key
   */
  LargeEntryRestore(
      ProtectedDataSet dataSet,
      Keyring keyring,
      String backupId,
      BiPredicate<String, byte[]> decryptsWhole) {
    this.dataSet = dataSet;
    this.keyring = keyring;
    this.backupId = backupId;
    this.decryptsWhole = decryptsWhole;
  }

  /**
   * Restores {@code entry}, reading its content to the end where it is needed.
   *
   * @return whether the object was written back
   * @throws UnusableBackupException when the entry's content does not decrypt, naming the object
   */
  boolean run(LargeItemSession session, BackupEntry.Streamed entry) {
    Optional<LargeItem> current = session.current(entry.key());
    if (current.isEmpty()) {
      return false; // the application deleted it: never resurrect
    }
    byte[] bound = bound(entry.key());
    Outcome outcome =
        session.rewriteIfUnchanged(
            current.get(),
            (stored, replacement) -> {
              if (decrypts(current.get(), stored, bound)) {
                return false;
              }
              try (DecryptingInputStream backedUp =
                  new DecryptingInputStream(
                      new CopyingInputStream(entry.content(), replacement), keyring, bound)) {
                backedUp.transferTo(OutputStream.nullOutputStream());
              } catch (EnvelopeException e) {
                throw new UnusableBackupException(
                    "backup "
                        + backupId
                        + ": object "
                        + entry.key()
                        + " does not decrypt from it ("
                        + e.reason()
                        + "); the object was left as it is");
              }
              return true;
            });
    return outcome == Outcome.WRITTEN;
  }

  /** Whether the object's current value decrypts: read whole up to the threshold, else streamed. */
  private boolean decrypts(LargeItem current, InputStream stored, byte[] bound) throws IOException {
    if (current.size() <= dataSet.config().s3().multipartThreshold()) {
      return decryptsWhole.test(current.key(), stored.readAllBytes());
    }
    try (DecryptingInputStream plaintext = new DecryptingInputStream(stored, keyring, bound)) {
      plaintext.transferTo(OutputStream.nullOutputStream());
      return true;
    } catch (EnvelopeException e) {
      return false;
    }
  }

  private byte[] bound(String key) {
    byte[] associatedData = dataSet.store().associatedData(key);
    return associatedData == null ? new byte[0] : associatedData;
  }
}
