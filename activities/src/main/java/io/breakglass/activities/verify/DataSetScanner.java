package io.breakglass.activities.verify;

import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeCodec;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.values.ShardRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The verify-only mode: reads every item of a data set, decrypts it, and counts items per key id
 * and the items that do not decrypt (key and reason, never content). Writes nothing.
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
      while (!(page = session.next(PAGE)).isEmpty()) {
        for (StoredItem item : page) {
          items++;
          try {
            Envelope envelope = codec.decode(item.value());
            cipher.decrypt(envelope, keyring, store.associatedData(item.key()));
            byKeyId.merge(envelope.keyId().toString(), 1L, Long::sum);
          } catch (EnvelopeException e) {
            undecryptable++;
            if (problems.size() < maxListed) {
              problems.add(item.key() + ": " + e.reason());
            }
          }
        }
        progress.accept(items);
      }
    }
    return new ScanReport(dataSet, items, byKeyId, undecryptable, problems);
  }
}
