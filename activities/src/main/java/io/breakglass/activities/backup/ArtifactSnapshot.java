package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ItemChangedException;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.LargeItem;
import io.breakglass.activities.data.LargeItemSession;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.workflows.messages.values.ShardRange;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * An artifact directory's or S3 data set's backup: every item its store sees (the visible files,
 * the objects under the prefix), read one at a time and written as {@link ArtifactFrames} entries
 * into the encrypted archive; objects above the multipart threshold are streamed into it.
 */
final class ArtifactSnapshot implements SnapshotFormat {

  private static final ShardRange EVERYTHING = new ShardRange(0, null, null);

  private final ProtectedDataSet dataSet;
  private final Keyring keyring;
  private final Path scratchParent;

  /**
   * @param scratchParent where the verification's scratch folder goes (the backup's folder)
   */
  ArtifactSnapshot(ProtectedDataSet dataSet, Keyring keyring, Path scratchParent) {
    this.dataSet = dataSet;
    this.keyring = keyring;
    this.scratchParent = scratchParent;
  }

  @Override
  public Written write(OutputStream plaintext, LongConsumer progress) throws IOException {
    DataOutputStream out = new DataOutputStream(plaintext);
    long items = 0;
    try (ItemSession session = dataSet.store().open(EVERYTHING, null)) {
      List<StoredItem> next;
      while (!(next = session.next(1)).isEmpty() || !session.largeItems().isEmpty()) {
        for (StoredItem item : next) {
          ArtifactFrames.writeWhole(out, item);
          progress.accept(++items);
        }
        for (LargeItem item : session.largeItems()) {
          writeLarge(out, (LargeItemSession) session, item);
          progress.accept(++items);
        }
      }
    }
    out.flush();
    return new Written(items, null);
  }

  /** Streams the version listed; a newer one makes the attempt fail, and its retry list again. */
  private void writeLarge(DataOutputStream out, LargeItemSession session, LargeItem item)
      throws IOException {
    try (InputStream stored = session.open(item)) {
      ArtifactFrames.writeStreamed(out, item.key(), stored);
    } catch (ItemChangedException e) {
      throw new DataStoreException(
          "data set "
              + dataSet.name()
              + ": object "
              + item.key()
              + " changed while it was backed up",
          e);
    }
  }

  /**
   * Samples small and large items alike. A large item is restored and decrypted when it enters the
   * sample, as its content streams past only once; it counts if it is still in the sample at the
   * end.
   */
  @Override
  public Verified verify(
      InputStream plaintext, BackupManifest manifest, int sampleSize, LongConsumer progress)
      throws IOException {
    BackupItems entries = items(plaintext, manifest);
    ScratchFolder scratch = new ScratchFolder(dataSet, keyring, scratchParent);
    Reservoir<BackupEntry> sample = new Reservoir<>(sampleSize);
    long count = 0;
    BackupEntry entry;
    while ((entry = entries.next()) != null) {
      if (sample.offer(entry) && entry instanceof BackupEntry.Streamed large) {
        scratch.restoreAndDecrypt(large.key(), large.content());
      }
      progress.accept(++count);
    }
    List<BackupEntry> sampled = sample.sample();
    List<StoredItem> whole = new ArrayList<>();
    for (BackupEntry kept : sampled) {
      if (kept instanceof BackupEntry.Whole item) {
        whole.add(item.item());
      }
    }
    int largeVerified = sampled.size() - whole.size();
    return new Verified(count, scratch.restoreAndDecrypt(whole) + largeVerified);
  }

  @Override
  public BackupItems items(InputStream plaintext, BackupManifest manifest) {
    return new ArtifactFrames.Reader(plaintext, manifest.backupId(), manifest.formatVersion());
  }
}
