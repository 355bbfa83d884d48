package io.breakglass.activities.backup;

import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.s3.S3Endpoint;
import io.breakglass.activities.testing.ArtifactFolder;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.S3Artifacts;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.activities.BackupActivities.RestoreResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Runs in a JVM of its own with a small heap, started by {@link LargeObjectBackupMemoryTest}:
 * streams one object several times larger than that heap into the bucket beside a small one, then
 * either backs the bucket up (the large object in the sample), replaces the object with one that
 * does not decrypt and restores it ({@code stream}), or reads the object into memory in one piece
 * ({@code collect}, the negative control). Prints what it did on its last line.
 *
 * <p>Arguments: S3 endpoint, bucket, backup folder, mode, object size in MiB.
 */
final class LargeObjectBackupMemoryProbe {

  private static final String LARGE = "scan-0000.dcm";
  private static final String SMALL = "chart-0000.pdf";

  private LargeObjectBackupMemoryProbe() {}

  public static void main(String[] args) throws Exception {
    // The SDK's default credential chain reads these first; s3proxy ignores them.
    System.setProperty("aws.accessKeyId", "local-identity");
    System.setProperty("aws.secretAccessKey", "local-credential");
    AwsConfig aws = new AwsConfig("us-east-1", null, URI.create(args[0]), true);
    String bucket = args[1];
    Path backups = Path.of(args[2]);
    String mode = args[3];
    long size = Long.parseLong(args[4]) << 20;
    MapKeyring keyring = new MapKeyring();
    KeyId v1 = keyring.add("artifact-encryption-key", "v1");
    try (S3Client client = S3Endpoint.client(aws)) {
      S3Artifacts artifacts = new S3Artifacts(client, keyring, bucket, "");
      artifacts.writeLarge(LARGE, size, v1);
      artifacts.write(SMALL, ArtifactFolder.content(0, 0), v1);

      if (mode.equals("collect")) {
        System.out.println("collected=" + artifacts.stored(LARGE).length);
        return;
      }
      String before = sha256(client, bucket);
      BackupConfig config = new BackupConfig(backups, 2);
      ProtectedDataSet dataSet =
          BackupBench.dataSets(config, artifacts.config(v1.secret(), 10, 10), Map.of(), aws)
              .get("chart-objects");
      BackupKeys keys = BackupBench.ownBackupKey();
      BackupLocation location = BackupLocation.of(backups, "probe/chart-objects");
      ArtifactSnapshot format = new ArtifactSnapshot(dataSet, keyring, location.folder());

      BackupRecord record = new DataSetBackup(config, keys).run(dataSet, location, format, n -> {});
      artifacts.put(LARGE, artifacts.stored(SMALL));
      RestoreResult result =
          new DataSetRestore(keys, keyring).run(dataSet, location, format, n -> {});

      System.out.println(
          "items="
              + record.items()
              + " sampleVerified="
              + record.sampleVerified()
              + " restored="
              + result.restored()
              + " stillUndecryptable="
              + result.stillUndecryptable()
              + " sameCiphertext="
              + before.equals(sha256(client, bucket))
              + " bytes="
              + size
              + " maxHeap="
              + Runtime.getRuntime().maxMemory());
    }
  }

  /** The large object's stored bytes' SHA-256, read as a stream. */
  private static String sha256(S3Client client, String bucket) throws Exception {
    MessageDigest digest = Sha256.digest();
    try (InputStream in =
        new DigestInputStream(
            client.getObject(GetObjectRequest.builder().bucket(bucket).key(LARGE).build()),
            digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return Sha256.hex(digest);
  }
}
