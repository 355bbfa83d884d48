package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.workflows.messages.values.ShardRange;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * An artifact directory's or S3 data set's backup: every item its store sees (the visible files,
 * the objects under the prefix), read one at a time and written as {@link ArtifactFrames} entries
 * into the encrypted archive.
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
        if (next.isEmpty()) {
          // Frames are read back whole and sampled with the one-shot envelope: not for these.
          throw new UnusableBackupException(
              "data set " + dataSet.name() + ": object " + session.largeItems().get(0).key()
                  + " is above the multipart threshold; backups of such objects are not supported");
        }
        ArtifactFrames.write(out, next.get(0));
        progress.accept(++items);
      }
    }
    out.flush();
    return new Written(items, null);
  }

  @Override
  public Verified verify(InputStream plaintext, BackupManifest manifest, int sampleSize, LongConsumer progress)
      throws IOException {
    BackupItems entries = items(plaintext, manifest);
    Reservoir<StoredItem> sample = new Reservoir<>(sampleSize);
    long count = 0;
    StoredItem item;
    while ((item = entries.next()) != null) {
      sample.offer(item);
      progress.accept(++count);
    }
    int verified = new ScratchFolder(dataSet, keyring, scratchParent).restoreAndDecrypt(sample.sample());
    return new Verified(count, verified);
  }

  @Override
  public BackupItems items(InputStream plaintext, BackupManifest manifest) {
    return new ArtifactFrames.Reader(plaintext, manifest.backupId());
  }
}
