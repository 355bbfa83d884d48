package io.breakglass.activities.backup;

import io.breakglass.activities.config.S3Location;
import io.breakglass.activities.data.s3.MultipartUpload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Verified backups kept in S3: {@code <prefix><rotationId>/<dataSet>.bgbak} and its manifest. The
 * backup folder is then a spool: a backup is written and verified there as always, uploaded (the
 * file in parts, then the manifest, so a manifest in S3 always has its file), and removed locally;
 * a restore downloads both back into the spool first. The files are already encrypted under the
 * backup key and checksummed; S3 adds nothing to trust.
 */
final class S3BackupCopies {

  /** Bytes per uploaded part: memory holds one. */
  private static final int PART_BYTES = 8 << 20;

  private final S3Client client;
  private final S3Location location;

  S3BackupCopies(S3Client client, S3Location location) {
    this.client = client;
    this.location = location;
  }

  /** Where {@code backup}'s file is kept: an {@code s3://} address, never a credential. */
  String address(BackupLocation backup) {
    return "s3://" + location.bucket() + "/" + key(backup, backup.file());
  }

  /** Uploads the backup and then its manifest, and removes both from the spool. */
  void upload(BackupLocation backup) throws IOException {
    put(backup, backup.file());
    put(backup, backup.manifest());
    Files.delete(backup.manifest());
    Files.delete(backup.file());
  }

  /**
   * Downloads the backup's manifest and file into the spool, unless they are there already.
   *
   * @throws UnusableBackupException when S3 has no such backup
   */
  void download(BackupLocation backup) throws IOException {
    if (Files.isRegularFile(backup.manifest()) && Files.isRegularFile(backup.file())) {
      return;
    }
    Files.createDirectories(backup.folder());
    get(backup, backup.manifest(), backup.partialManifest());
    get(backup, backup.file(), backup.partialFile());
  }

  private void put(BackupLocation backup, Path file) throws IOException {
    MultipartUpload upload =
        new MultipartUpload(client, location.bucket(), key(backup, file), PART_BYTES);
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(upload);
      upload.complete();
    } catch (SdkException e) {
      upload.abort();
      throw failure("upload", backup, e);
    } catch (IOException | RuntimeException e) {
      upload.abort();
      throw e;
    }
  }

  /** Streams the object into a hidden partial file and renames it into place. */
  private void get(BackupLocation backup, Path file, Path partial) throws IOException {
    GetObjectRequest request =
        GetObjectRequest.builder().bucket(location.bucket()).key(key(backup, file)).build();
    try (InputStream in = client.getObject(request);
        OutputStream out = Files.newOutputStream(partial)) {
      in.transferTo(out);
    } catch (NoSuchKeyException e) {
      Files.deleteIfExists(partial);
      throw new UnusableBackupException(
          "backup "
              + backup.backupId()
              + " is missing: no object at s3://"
              + location.bucket()
              + "/"
              + key(backup, file));
    } catch (SdkException e) {
      Files.deleteIfExists(partial);
      throw failure("download", backup, e);
    }
    Files.move(
        partial,
        file,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private String key(BackupLocation backup, Path file) {
    return location.prefix() + backup.backupId().split("/")[0] + "/" + file.getFileName();
  }

  private static IOException failure(String what, BackupLocation backup, SdkException cause) {
    return new IOException("cannot " + what + " backup " + backup.backupId() + " in S3", cause);
  }
}
