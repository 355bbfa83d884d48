package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.DecryptingInputStream;
import io.breakglass.activities.crypto.EncryptingOutputStream;
import io.breakglass.activities.data.StoredItem;
import io.breakglass.activities.testing.FirstVersionStreams;
import io.breakglass.workflows.messages.values.DataSetType;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * Test-only archive surgery: a backup's plaintext read out whole, and plaintext sealed as a backup
 * under the backup key with a manifest that matches it (checksum, size), as a backup whose content
 * was damaged before it was sealed would be. Also the writer of the first format, {@link
 * BackupManifest#FIRST_FORMAT_VERSION}, exactly as the code before format 2 wrote it (in the first
 * streaming envelope version), and a reseal in that envelope version, as backups taken before
 * per-stream keys are sealed.
 */
final class SealedArchives {

  private SealedArchives() {}

  /** The decrypted plaintext of the backup at {@code location}. */
  static byte[] plaintext(BackupLocation location, BackupKeys keys) throws IOException {
    try (InputStream in =
        new DecryptingInputStream(
            Files.newInputStream(location.file()), keys, location.associatedData())) {
      return in.readAllBytes();
    }
  }

  /** Seals {@code plaintext} over the backup at {@code location}, its manifest updated to match. */
  static void reseal(BackupLocation location, BackupKeys keys, byte[] plaintext)
      throws IOException {
    BackupManifest old = BackupManifest.read(location.manifest());
    seal(
        location,
        keys,
        plaintext,
        false,
        old.formatVersion(),
        old.dataSet(),
        old.type(),
        old.directory(),
        old.items());
  }

  /** Seals the backup at {@code location} again in the first streaming envelope version. */
  static void resealInFirstStreamingVersion(BackupLocation location, BackupKeys keys)
      throws IOException {
    BackupManifest old = BackupManifest.read(location.manifest());
    seal(
        location,
        keys,
        plaintext(location, keys),
        true,
        old.formatVersion(),
        old.dataSet(),
        old.type(),
        old.directory(),
        old.items());
  }

  /**
   * Writes {@code items} as a backup of the first format: untyped entries {@code path length (4) |
   * path | content length (8) | content}, manifest version 1.
   */
  static void writeFirstFormat(
      BackupLocation location,
      BackupKeys keys,
      String dataSet,
      String source,
      List<StoredItem> items)
      throws IOException {
    ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(plaintext);
    for (StoredItem item : items) {
      byte[] path = item.key().getBytes(StandardCharsets.UTF_8);
      out.writeInt(path.length);
      out.write(path);
      out.writeLong(item.value().length);
      out.write(item.value());
    }
    Files.createDirectories(location.folder());
    seal(
        location,
        keys,
        plaintext.toByteArray(),
        true,
        BackupManifest.FIRST_FORMAT_VERSION,
        dataSet,
        DataSetType.S3_OBJECTS,
        source,
        items.size());
  }

  private static void seal(
      BackupLocation location,
      BackupKeys keys,
      byte[] plaintext,
      boolean firstStreamingVersion,
      int formatVersion,
      String dataSet,
      DataSetType type,
      String source,
      long items)
      throws IOException {
    if (firstStreamingVersion) {
      byte[] prefix = new byte[7];
      new SecureRandom().nextBytes(prefix);
      Files.write(
          location.file(),
          FirstVersionStreams.seal(
              keys.current(),
              keys.key(keys.current()),
              prefix,
              location.associatedData(),
              plaintext));
    } else {
      try (OutputStream file = Files.newOutputStream(location.file());
          OutputStream out =
              new EncryptingOutputStream(file, keys.current(), keys, location.associatedData())) {
        out.write(plaintext);
      }
    }
    new BackupManifest(
            formatVersion,
            location.backupId(),
            dataSet,
            type,
            null,
            source,
            items,
            Files.size(location.file()),
            Sha256.of(location.file()),
            keys.current().toString(),
            Instant.now().toString())
        .write(location.manifest());
  }
}
