package io.breakglass.activities.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * How one kind of data set becomes a backup's plaintext and comes back out of it. Every method
 * streams: memory holds a buffer, one item or the verification sample, never the data set.
 */
interface SnapshotFormat {

  /**
   * Streams every item of the data set into {@code plaintext}.
   *
   * @param progress called with the running item count
   * @throws io.breakglass.activities.data.DataStoreException when the data set cannot be read
   */
  Written write(OutputStream plaintext, LongConsumer progress) throws IOException;

  /**
   * Reads a decrypted backup to its end, restores a random sample of up to {@code sampleSize} items
   * into a scratch area (always removed), reads them back and decrypts them.
   *
   * @throws SampleNotVerifiedException naming the first sample item that did not restore or decrypt
   */
  Verified verify(
      InputStream plaintext, BackupManifest manifest, int sampleSize, LongConsumer progress)
      throws IOException;

  /** The items of a decrypted backup; items stored without an envelope are skipped. */
  BackupItems items(InputStream plaintext, BackupManifest manifest);

  /**
   * What {@link #write} wrote.
   *
   * @param items rows or files written
   * @param table for a table, its layout; null for artifacts
   */
  record Written(long items, BackupManifest.Table table) {}

  /**
   * What {@link #verify} found.
   *
   * @param items rows or files read back
   * @param sampleVerified sample items that restored and decrypted
   */
  record Verified(long items, int sampleVerified) {}
}
