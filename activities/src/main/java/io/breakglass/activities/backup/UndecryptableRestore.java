package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.LargeItemSession;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.Rewrite;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.workflows.messages.values.ShardRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Puts backed-up values back where the current value does not decrypt, a batch at a time, through
 * the data set's own conditional writes. An item is left alone when it no longer exists (the
 * application deleted it: never resurrect), when its current value decrypts (an application write
 * since the backup is never lost), when it already holds the backed-up value, or when the backed-up
 * value does not decrypt either (writing it would only replace one unreadable value with another).
 * So running it again changes nothing. Large items stream back one at a time (see {@link
 * LargeEntryRestore}).
 */
final class UndecryptableRestore {

  private static final ShardRange EVERYTHING = new ShardRange(0, null, null);

  private final ProtectedDataSet dataSet;
  private final Keyring keyring;
  private final EnvelopeCipher cipher = new EnvelopeCipher();

  private final LargeEntryRestore large;

  /**
   * @param backupId names the backup in errors
   */
  UndecryptableRestore(ProtectedDataSet dataSet, Keyring keyring, String backupId) {
    this.dataSet = dataSet;
    this.keyring = keyring;
    this.large = new LargeEntryRestore(dataSet, keyring, backupId, this::decrypts);
  }

  /**
   * Restores from {@code backup}.
   *
   * @param progress called with the running count of backed-up items looked at
   * @return items written back
   */
  long run(BackupItems backup, LongConsumer progress) throws IOException {
    int batchSize = dataSet.config().batchSize();
    long seen = 0;
    long restored = 0;
    Map<String, byte[]> batch = new LinkedHashMap<>();
    try (ItemSession session = dataSet.store().open(EVERYTHING, null)) {
      BackupEntry entry;
      while ((entry = backup.next()) != null) {
        seen++;
        if (entry instanceof BackupEntry.Streamed streamed) {
          restored += restoreLarge(session, streamed) ? 1 : 0;
          progress.accept(seen);
          continue;
        }
        StoredItem item = ((BackupEntry.Whole) entry).item();
        batch.put(item.key(), item.value());
        if (batch.size() == batchSize) {
          restored += restore(session, batch);
          batch.clear();
          progress.accept(seen);
        }
      }
      restored += restore(session, batch);
      progress.accept(seen);
    }
    return restored;
  }

  private boolean restoreLarge(ItemSession session, BackupEntry.Streamed entry) {
    if (!(session instanceof LargeItemSession largeItems)) {
      throw new UnusableBackupException(
          "data set "
              + dataSet.name()
              + " keeps no large items, but its backup streams "
              + entry.key());
    }
    return large.run(largeItems, entry);
  }

  private int restore(ItemSession session, Map<String, byte[]> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    List<Rewrite> rewrites = new ArrayList<>();
    for (StoredItem current : session.read(batch.keySet())) {
      byte[] backedUp = batch.get(current.key());
      if (!Arrays.equals(current.value(), backedUp)
          && !decrypts(current.key(), current.value())
          && decrypts(current.key(), backedUp)) {
        rewrites.add(Rewrite.of(current, backedUp));
      }
    }
    // A conditional write: an item the application rewrote after this read is kept.
    return session.writeIfUnchanged(rewrites).size();
  }

  private boolean decrypts(String key, byte[] value) {
    try {
      cipher.decrypt(dataSet.codec().decode(value), keyring, dataSet.store().associatedData(key));
      return true;
    } catch (EnvelopeException e) {
      return false;
    }
  }
}
