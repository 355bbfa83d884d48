package io.breakglass.activities.backup;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.crypto.DecryptingInputStream;
import io.breakglass.activities.crypto.EncryptingOutputStream;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.function.LongConsumer;

/**
 * Writes one data set's backup and proves it: stream the items through the encrypting stream into a
 * partial file, re-read that file (checksum, decryption, item count, sample restore), then publish
 * the backup and its manifest by atomic renames, manifest last. A retry of a killed attempt
 * overwrites its partial files; a failed attempt removes them.
 */
final class DataSetBackup {

  private static final int BUFFER_BYTES = 1 << 16;

  private final BackupConfig config;
  private final BackupKeys keys;

  DataSetBackup(BackupConfig config, BackupKeys keys) {
    this.config = config;
    this.keys = keys;
  }

  /**
   * Backs up {@code dataSet} as {@code location}.
   *
   * @param progress called with running item counts, while writing and again while verifying
   * @throws SampleNotVerifiedException when a sample item does not restore or decrypt
   * @throws UnusableBackupException when the file read back differs from what was written
   */
  BackupRecord run(
      ProtectedDataSet dataSet,
      BackupLocation location,
      SnapshotFormat format,
      LongConsumer progress)
      throws IOException {
    Files.createDirectories(location.folder());
    try {
      BackupManifest manifest = write(dataSet, location, format, progress);
      SnapshotFormat.Verified verified = verify(location, manifest, format, progress);
      manifest.write(location.partialManifest());
      force(location.partialManifest());
      Files.move(
          location.partialFile(),
          location.file(),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          location.partialManifest(),
          location.manifest(),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      force(location.folder());
      return new BackupRecord(
          dataSet.name(),
          location.backupId(),
          location.file().toString(),
          manifest.items(),
          manifest.bytes(),
          manifest.sha256(),
          verified.sampleVerified());
    } catch (IOException | RuntimeException e) {
      discardPartials(location, e);
      throw e;
    }
  }

  private static void discardPartials(BackupLocation location, Exception failure) {
    try {
      Files.deleteIfExists(location.partialFile());
      Files.deleteIfExists(location.partialManifest());
    } catch (IOException e) {
      // the next attempt overwrites them; the first failure is the one to report
      failure.addSuppressed(e);
    }
  }

  private BackupManifest write(
      ProtectedDataSet dataSet,
      BackupLocation location,
      SnapshotFormat format,
      LongConsumer progress)
      throws IOException {
    KeyId backupKey = keys.current();
    MessageDigest digest = Sha256.digest();
    SnapshotFormat.Written written;
    try (OutputStream file =
            Files.newOutputStream(
                location.partialFile(),
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        EncryptingOutputStream out =
            new EncryptingOutputStream(
                new BufferedOutputStream(new DigestOutputStream(file, digest), BUFFER_BYTES),
                backupKey,
                keys,
                location.associatedData())) {
      written = format.write(out, progress);
    }
    force(location.partialFile());

    return new BackupManifest(
        BackupManifest.FORMAT_VERSION,
        location.backupId(),
        dataSet.name(),
        dataSet.config().type(),
        written.table(),
        source(dataSet),
        written.items(),
        Files.size(location.partialFile()),
        Sha256.hex(digest),
        backupKey.toString(),
        Instant.now().toString());
  }

  /** Where an artifact backup's items came from: a folder or an S3 location; null for tables. */
  private static String source(ProtectedDataSet dataSet) {
    DataSetConfig config = dataSet.config();
    return switch (config.type()) {
      case ARTIFACT_DIRECTORY -> config.directory().toString();
      case S3_OBJECTS -> "s3://" + config.s3().bucket() + "/" + config.s3().prefix();
      case POSTGRES_COLUMN -> null;
    };
  }

  /** Reads the partial file back in one pass: decrypts, counts, samples, and checksums it. */
  private SnapshotFormat.Verified verify(
      BackupLocation location,
      BackupManifest manifest,
      SnapshotFormat format,
      LongConsumer progress)
      throws IOException {
    MessageDigest digest = Sha256.digest();
    SnapshotFormat.Verified verified;
    try (InputStream file = Files.newInputStream(location.partialFile());
        DecryptingInputStream plaintext =
            new DecryptingInputStream(
                new BufferedInputStream(new DigestInputStream(file, digest), BUFFER_BYTES),
                keys,
                location.associatedData())) {
      verified = format.verify(plaintext, manifest, config.sampleSize(), progress);
      if (plaintext.read() != -1) {
        throw new UnusableBackupException(
            "backup " + location.backupId() + ": bytes follow its last item");
      }
    }
    String reread = Sha256.hex(digest);
    if (!reread.equals(manifest.sha256())) {
      throw new UnusableBackupException(
          "backup "
              + location.backupId()
              + ": sha256 read back "
              + reread
              + " differs from "
              + manifest.sha256()
              + " written");
    }
    if (verified.items() != manifest.items()) {
      throw new UnusableBackupException(
          "backup "
              + location.backupId()
              + ": "
              + verified.items()
              + " items read back of "
              + manifest.items()
              + " written");
    }
    return verified;
  }

  /** Makes a file's bytes, or a folder's renames, durable. */
  private static void force(Path path) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }
}
