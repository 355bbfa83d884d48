package io.breakglass.activities.reencrypt;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.S3Location;
import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.EncryptingOutputStream;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.s3.MultipartUpload;
import io.breakglass.activities.data.s3.S3Endpoint;
import io.breakglass.activities.data.s3.S3ObjectStore;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.values.DataSetType;
import io.breakglass.workflows.messages.values.ShardRange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Runs in a JVM of its own with a small heap, started by {@link LargeObjectMemoryTest}: streams one
 * object several times larger than that heap into the bucket, then either re-encrypts and scans it
 * ({@code stream}) or reads it into memory in one piece ({@code collect}, the negative control).
 * Prints what it did on its last line.
 *
 * <p>Arguments: S3 endpoint, bucket, mode, object size in MiB.
 */
final class LargeObjectMemoryProbe {

  private static final String KEY = "scan-0000.dcm";

  private LargeObjectMemoryProbe() {}

  public static void main(String[] args) throws Exception {
    // The SDK's default credential chain reads these first; s3proxy ignores them.
    System.setProperty("aws.accessKeyId", "local-identity");
    System.setProperty("aws.secretAccessKey", "local-credential");
    AwsConfig aws = new AwsConfig("us-east-1", null, URI.create(args[0]), true);
    String bucket = args[1];
    String mode = args[2];
    long size = Long.parseLong(args[3]) << 20;
    MapKeyring keyring = new MapKeyring();
    KeyId v1 = keyring.add("artifact-encryption-key", "v1");
    KeyId v2 = keyring.add("artifact-encryption-key", "v2");
    try (S3Client client = S3Endpoint.client(aws)) {
      byte[] bound = KEY.getBytes(StandardCharsets.UTF_8);
      MultipartUpload upload = new MultipartUpload(client, bucket, KEY, 8 << 20);
      try (EncryptingOutputStream out = new EncryptingOutputStream(upload, v1, keyring, bound)) {
        byte[] block = new byte[1 << 16];
        Random random = new Random(7);
        for (long written = 0; written < size; written += block.length) {
          random.nextBytes(block);
          out.write(block);
        }
      }
      upload.complete();

      if (mode.equals("collect")) {
        byte[] whole =
            client
                .getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(KEY).build())
                .asByteArray();
        System.out.println("collected=" + whole.length);
        return;
      }
      DataSetConfig config =
          new DataSetConfig(
              "scans",
              v1.secret(),
              DataSetType.S3_OBJECTS,
              null,
              null,
              null,
              null,
              null,
              null,
              AssociatedDataMode.OBJECT_PATH,
              10,
              10,
              1,
              0,
              null,
              new S3Location(bucket, "", 16L << 20));
      ItemStore store = S3ObjectStore.create(config, () -> client);
      ShardCheckpoint result =
          new ShardReencryptor(store, new BinaryEnvelopeCodec(), keyring, 10)
              .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), c -> {});
      ScanReport scan =
          new DataSetScanner("scans", store, new BinaryEnvelopeCodec(), keyring).scan(10, n -> {});
      System.out.println(
          "reencrypted="
              + result.reencrypted()
              + " underNewKey="
              + scan.itemsUnder(v2.toString())
              + " undecryptable="
              + scan.undecryptable()
              + " bytes="
              + size
              + " maxHeap="
              + Runtime.getRuntime().maxMemory());
    }
  }
}
