package io.breakglass.activities.verify;

import io.breakglass.activities.crypto.DecryptingInputStream;
import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeCodec;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ItemChangedException;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.LargeItem;
import io.breakglass.activities.data.LargeItemSession;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.values.ShardRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The verify-only mode: reads every item of a data set, decrypts it, and counts items per key id
 * and the items that do not decrypt (key and reason, never content). Writes nothing. Where the data
 * set's format names no key, an item counts under the version whose key decrypted it.
 */
public final class DataSetScanner {

  private static final int PAGE = 1_000;

  private final String dataSet;
  private final ItemStore store;
  private final EnvelopeCodec codec;
  private final Keyring keyring;

  public DataSetScanner(String dataSet, ItemStore store, EnvelopeCodec codec, Keyring keyring) {
    this.dataSet = dataSet;
    this.store = store;
    this.codec = codec;
    this.keyring = keyring;
  }

  /**
   * Scans the whole data set.
   *
   * @param maxListed how many problem items to list at most (all are counted)
   * @param progress called with the running item count after each page (heartbeat)
   */
  public ScanReport scan(int maxListed, LongConsumer progress) {
    EnvelopeCipher cipher = new EnvelopeCipher();
    Map<String, Long> byKeyId = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    long items = 0;
    long undecryptable = 0;
    try (ItemSession session = store.open(new ShardRange(0, null, null), null)) {
      List<StoredItem> page;
      while (!(page = session.next(PAGE)).isEmpty() || !session.largeItems().isEmpty()) {
        for (StoredItem item : page) {
          items++;
          try {
            Envelope envelope = codec.decode(item.value());
            KeyId matched =
                cipher.open(envelope, keyring, store.associatedData(item.key())).keyId();
            byKeyId.merge(matched.toString(), 1L, Long::sum);
          } catch (EnvelopeException e) {
            undecryptable++;
            if (problems.size() < maxListed) {
              problems.add(item.key() + ": " + e.reason());
            }
          }
        }
        for (LargeItem item : session.largeItems()) {
          items++;
          try {
            byKeyId.merge(
                decryptStream((LargeItemSession) session, item).toString(), 1L, Long::sum);
          } catch (EnvelopeException e) {
            undecryptable++;
            if (problems.size() < maxListed) {
              problems.add(item.key() + ": " + e.reason());
            }
          } catch (ItemChangedException e) {
            items--; // rewritten or deleted since it was listed: not an item of this scan
          }
        }
        progress.accept(items);
      }
    }
    return new ScanReport(dataSet, items, byKeyId, undecryptable, problems);
  }

  /** Reads a large item's streaming envelope to its end; every segment must verify. */
  private KeyId decryptStream(LargeItemSession session, LargeItem item) {
    byte[] associatedData = store.associatedData(item.key());
    try (InputStream stored = session.open(item);
        DecryptingInputStream plaintext =
            new DecryptingInputStream(
                stored, keyring, associatedData == null ? new byte[0] : associatedData)) {
      plaintext.transferTo(OutputStream.nullOutputStream());
      return plaintext.keyId();
    } catch (IOException e) {
      throw new DataStoreException("data set " + dataSet + ": cannot read " + item.key(), e);
    }
  }
}
