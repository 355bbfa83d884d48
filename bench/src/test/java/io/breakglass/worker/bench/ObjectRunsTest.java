package io.breakglass.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.worker.dev.DevSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The negative controls of the bench's S3 runs, on the same s3proxy: the final scan fails when an
 * object is lost, left under an older version or undecryptable, and the raw loop's write is
 * conditional, as the engine's is. {@link BenchTest} runs the whole phase.
 */
class ObjectRunsTest {

  private static final int OBJECTS = 6;

  @TempDir Path data;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void theFinalScan_failsOnALostObject_anObjectUnderAnOlderVersion_andAnUndecryptableOne() {
    BenchOptions options = new BenchOptions(10, 2_048, 1, 4_096, OBJECTS, 10, 10, 10, data);
    try (BenchStack stack = BenchStack.start(options);
        LocalS3Server server = LocalS3Server.start(data.resolve("s3"), 512);
        S3Client client = server.client()) {
      client.createBucket(CreateBucketRequest.builder().bucket(ObjectRuns.BUCKET).build());
      StoreKeyring keyring = new StoreKeyring(stack.store());
      ChartObjects.seed(
          client,
          ObjectRuns.BUCKET,
          ObjectRuns.PREFIX,
          OBJECTS,
          4_096,
          stack.currentKey(DevSettings.ARTIFACT_KEY),
          keyring);
      String first = ChartObjects.relativeKey(1);
      byte[] underOld = stored(client, first);
      KeyId last = stack.freshVersion(DevSettings.ARTIFACT_KEY);
      assertThat(S3Loop.run(client, ObjectRuns.BUCKET, ObjectRuns.PREFIX, keyring, last, 2))
          .isEqualTo(OBJECTS);
      ProtectedDataSet objects = ObjectRuns.dataSet(client);
      assertThat(ObjectRuns.verify(objects, stack.store(), last, OBJECTS, out)).isTrue();

      put(client, first, underOld);
      assertThat(ObjectRuns.verify(objects, stack.store(), last, OBJECTS, out))
          .as("an object under an older version")
          .isFalse();
      assertThat(S3Loop.run(client, ObjectRuns.BUCKET, ObjectRuns.PREFIX, keyring, last, 1))
          .isEqualTo(1);
      assertThat(ObjectRuns.verify(objects, stack.store(), last, OBJECTS, out)).isTrue();

      String second = ChartObjects.relativeKey(2);
      byte[] kept = stored(client, second);
      client.deleteObject(
          DeleteObjectRequest.builder()
              .bucket(ObjectRuns.BUCKET)
              .key(ObjectRuns.PREFIX + second)
              .build());
      assertThat(ObjectRuns.verify(objects, stack.store(), last, OBJECTS, out))
          .as("a lost object")
          .isFalse();
      put(client, second, kept);
      assertThat(ObjectRuns.verify(objects, stack.store(), last, OBJECTS, out)).isTrue();

      byte[] damaged = stored(client, ChartObjects.relativeKey(3));
      damaged[damaged.length - 1] ^= 1;
      put(client, ChartObjects.relativeKey(3), damaged);
      assertThat(ObjectRuns.verify(objects, stack.store(), last, OBJECTS, out))
          .as("an undecryptable object")
          .isFalse();
    }
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("6 items of 6, 5 under the last version, 1 under others, 0 undecryptable")
        .contains("5 items of 6, 5 under the last version, 0 under others, 0 undecryptable")
        .contains("6 items of 6, 5 under the last version, 0 under others, 1 undecryptable");
  }

  @Test
  void theLoopsWrite_isRefused_whenTheApplicationWroteTheObjectAfterItsRead() {
    try (LocalS3Server server = LocalS3Server.start(data.resolve("s3"), 512);
        S3Client client = server.client()) {
      client.createBucket(CreateBucketRequest.builder().bucket(ObjectRuns.BUCKET).build());
      String key = "p-00000000/chart-0000001.pdf";
      String etagRead = put(client, key, "as read".getBytes(StandardCharsets.UTF_8));
      put(client, key, "the application's write".getBytes(StandardCharsets.UTF_8));

      boolean written =
          S3Loop.putIfMatch(
              client,
              ObjectRuns.BUCKET,
              ObjectRuns.PREFIX + key,
              "the loop's rewrite".getBytes(StandardCharsets.UTF_8),
              etagRead);

      assertThat(written).isFalse();
      assertThat(new String(stored(client, key), StandardCharsets.UTF_8))
          .isEqualTo("the application's write");
      String etagNow = put(client, key, "the application's write".getBytes(StandardCharsets.UTF_8));
      assertThat(
              S3Loop.putIfMatch(
                  client,
                  ObjectRuns.BUCKET,
                  ObjectRuns.PREFIX + key,
                  "the loop's rewrite".getBytes(StandardCharsets.UTF_8),
                  etagNow))
          .as("negative control: with the current ETag the write goes through")
          .isTrue();
    }
  }

  private static byte[] stored(S3Client client, String key) {
    return client
        .getObjectAsBytes(
            GetObjectRequest.builder()
                .bucket(ObjectRuns.BUCKET)
                .key(ObjectRuns.PREFIX + key)
                .build())
        .asByteArray();
  }

  private static String put(S3Client client, String key, byte[] value) {
    return client
        .putObject(
            PutObjectRequest.builder()
                .bucket(ObjectRuns.BUCKET)
                .key(ObjectRuns.PREFIX + key)
                .build(),
            RequestBody.fromBytes(value))
        .eTag();
  }
}
