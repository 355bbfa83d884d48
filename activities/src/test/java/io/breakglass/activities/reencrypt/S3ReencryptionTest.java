package io.breakglass.activities.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.StreamingEnvelope;
import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.Rewrite;
import io.breakglass.activities.data.s3.S3ObjectStore;
import io.breakglass.activities.testing.ArtifactFolder;
import io.breakglass.activities.testing.LocalS3;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.S3Artifacts;
import io.breakglass.activities.testing.S3Requests;
import io.breakglass.activities.testing.Shards;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.values.ShardRange;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ReencryptionTest {

  private static final int OBJECTS = 40;
  private static final String LARGE = "patient-01/scan-0000.dcm";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @RegisterExtension static final LocalS3.PerClass s3 = new LocalS3.PerClass();

  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("artifact-encryption-key", "v1");
  private final KeyId v2 = keyring.add("artifact-encryption-key", "v2");
  private final S3Requests requests = new S3Requests();
  private S3Client client;
  private S3Artifacts artifacts;
  private ItemStore store;

  @BeforeEach
  void seed() {
    String bucket = "charts-" + BUCKETS.incrementAndGet();
    s3.get().createBucket(bucket);
    client = s3.get().client(requests);
    artifacts = new S3Artifacts(client, keyring, bucket, "tenant-a/");
    artifacts.seed(OBJECTS, v1);
    store = S3ObjectStore.create(artifacts.config(v1.secret(), 15, 8), () -> client);
    requests.clear();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void everyObject_endsUnderTheNewKey_withItsPlaintextUnchanged() {
    Map<String, String> before = artifacts.plaintextDigests();

    List<ShardRange> shards = Shards.of(store.split(15));
    long reencrypted = 0;
    for (ShardRange shard : shards) {
      reencrypted +=
          reencryptor(store)
              .run(shard, v2, Set.of(), ShardCheckpoint.start(), c -> {})
              .reencrypted();
    }

    assertThat(shards).hasSize(3);
    assertThat(reencrypted).isEqualTo(OBJECTS);
    assertThat(artifacts.keyIds())
        .hasSize(OBJECTS)
        .allSatisfy((key, kid) -> assertThat(kid).isEqualTo(v2.toString()));
    assertThat(artifacts.plaintextDigests()).isEqualTo(before);
  }

  @Test
  void aShardResumedFromItsCheckpoint_coversTheRestOfItsRangeOnly() {
    ShardRange middle = Shards.of(store.split(15)).get(1);
    List<String> keys = artifacts.keys();

    ShardCheckpoint result =
        reencryptor(store)
            .run(
                middle,
                v2,
                Set.of(),
                new ShardCheckpoint(keys.get(19), 0, 0, 0, 0, 0, 0, 0, 0, null),
                c -> {});

    assertThat(middle.fromKey()).isEqualTo(keys.get(15));
    assertThat(middle.toKey()).isEqualTo(keys.get(30));
    assertThat(result.reencrypted()).isEqualTo(10);
    assertThat(
            artifacts.keyIds().entrySet().stream()
                .filter(e -> e.getValue().equals(v2.toString()))
                .map(Map.Entry::getKey))
        .containsExactlyElementsOf(keys.subList(20, 30));
  }

  @Test
  void aShardRunTwice_rewritesNothingTheSecondTime() {
    ShardRange all = new ShardRange(0, null, null);
    reencryptor(store).run(all, v2, Set.of(), ShardCheckpoint.start(), c -> {});
    Map<String, String> etags = etags();
    requests.clear();

    ShardCheckpoint again =
        reencryptor(store).run(all, v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(again.reencrypted()).isZero();
    assertThat(again.alreadyTarget()).isEqualTo(OBJECTS);
    assertThat(requests.count("PutObject")).isZero();
    assertThat(etags()).isEqualTo(etags);
  }

  @Test
  void anObjectWrittenBetweenReadAndWrite_keepsTheApplicationsVersion() {
    String raced = "patient-00/chart-0000.pdf";
    String content = ArtifactFolder.content(0, 9);
    ItemStore racing =
        new DelegatingStore(store) {
          @Override
          public ItemSession open(ShardRange shard, String afterKey) {
            return new DelegatingSession(super.open(shard, afterKey)) {
              boolean once;

              @Override
              public Set<String> writeIfUnchanged(List<Rewrite> rewrites) {
                if (!once) {
                  once = true;
                  artifacts.write(raced, content, v2);
                }
                return super.writeIfUnchanged(rewrites);
              }
            };
          }
        };

    ShardCheckpoint result =
        reencryptor(racing)
            .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(result.conflicts()).isEqualTo(1);
    assertThat(result.reencrypted()).isEqualTo(OBJECTS - 1);
    assertThat(artifacts.plaintextDigests().get(raced)).isEqualTo(digest(content));
  }

  @Test
  void withoutIfMatch_theSameRaceWouldOverwriteTheApplicationsWrite() {
    String raced = "patient-00/chart-0000.pdf";
    String etagRead = artifacts.etag(raced);
    byte[] ours = artifacts.stored("patient-00/chart-0002.pdf");
    artifacts.write(raced, ArtifactFolder.content(0, 9), v2);

    PutObjectRequest conditional =
        PutObjectRequest.builder()
            .bucket(artifacts.location().bucket())
            .key("tenant-a/" + raced)
            .ifMatch(etagRead)
            .build();
    assertThatThrownBy(() -> client.putObject(conditional, RequestBody.fromBytes(ours)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    assertThat(artifacts.stored(raced)).isNotEqualTo(ours);

    client.putObject(conditional.toBuilder().ifMatch(null).build(), RequestBody.fromBytes(ours));
    assertThat(artifacts.stored(raced)).isEqualTo(ours);
  }

  @Test
  void aLargeObject_isReencryptedAsAStreamInParts_andDecryptsUnderTheNewKey() {
    artifacts.writeLarge(LARGE, 18L << 20, v1);
    Map<String, String> before = artifacts.plaintextDigests();
    requests.clear();

    ShardCheckpoint result =
        reencryptor(store)
            .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(result.reencrypted()).isEqualTo(OBJECTS + 1);
    assertThat(requests.count("CreateMultipartUpload")).isEqualTo(1);
    assertThat(requests.count("UploadPart")).isEqualTo(3);
    assertThat(requests.count("CompleteMultipartUpload")).isEqualTo(1);
    assertThat(artifacts.etag(LARGE)).endsWith("-3\"");
    assertThat(artifacts.keyIds().get(LARGE)).isEqualTo(v2.toString());
    assertThat(artifacts.plaintextDigests()).isEqualTo(before);
  }

  @Test
  void aLargeObjectInTheFirstStreamingVersion_isRewrittenInTheCurrentOne() {
    artifacts.writeLargeFirstVersion(LARGE, 6 << 20, v1);
    Map<String, String> before = artifacts.plaintextDigests();

    reencryptor(store)
        .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(artifacts.stored(LARGE)[4]).isEqualTo((byte) StreamingEnvelope.VERSION);
    assertThat(artifacts.keyIds().get(LARGE)).isEqualTo(v2.toString());
    assertThat(artifacts.plaintextDigests()).isEqualTo(before);
  }

  @Test
  void aLargeObjectWrittenDuringItsRewrite_keepsTheApplicationsVersion_andTheUploadIsAborted() {
    artifacts.writeLarge(LARGE, 11L << 20, v1);
    byte[] application = artifacts.stored(LARGE);
    ItemStore racing =
        new DelegatingStore(store) {
          @Override
          public ItemSession open(ShardRange shard, String afterKey) {
            ItemSession session = super.open(shard, afterKey);
            return new RacingLargeSession(
                (io.breakglass.activities.data.LargeItemSession) session,
                () -> {
                  // The application stores a new version (under the new key) while we stream.
                  artifacts.writeLarge(LARGE, 6L << 20, v2);
                });
          }
        };

    ShardCheckpoint result =
        reencryptor(racing)
            .run(new ShardRange(0, null, null), v2, Set.of(), ShardCheckpoint.start(), c -> {});

    assertThat(result.conflicts()).isEqualTo(1);
    assertThat(requests.count("AbortMultipartUpload")).isEqualTo(1);
    assertThat(artifacts.stored(LARGE)).isNotEqualTo(application).hasSize(artifactsSize(6L << 20));
    assertThat(artifacts.keyIds().get(LARGE)).isEqualTo(v2.toString());
  }

  @Test
  void theScanner_countsSmallAndLargeObjectsPerKeyId_andNamesWhatDoesNotDecrypt() {
    artifacts.writeLarge(LARGE, 6L << 20, v2);
    artifacts.put("patient-00/chart-0000.pdf", artifacts.stored("patient-00/chart-0002.pdf"));

    ScanReport report =
        new DataSetScanner("chart-objects", store, new BinaryEnvelopeCodec(), keyring)
            .scan(10, n -> {});

    assertThat(report.items()).isEqualTo(OBJECTS + 1);
    assertThat(report.itemsByKeyId())
        .containsEntry(v1.toString(), (long) OBJECTS - 1)
        .containsEntry(v2.toString(), 1L);
    assertThat(report.undecryptable()).isEqualTo(1);
    assertThat(report.problems())
        .containsExactly("patient-00/chart-0000.pdf: AUTHENTICATION_FAILED");
  }

  @Test
  void theLayout_neverListsMoreThanTwoThousandBoundaries_whateverTheShardSize() {
    S3Artifacts many = new S3Artifacts(client, keyring, artifacts.location().bucket(), "many/");
    java.util.stream.IntStream.range(0, 2_100)
        .parallel()
        .forEach(i -> many.put(String.format("chart-%05d", i), new byte[] {1}));
    ItemStore manyStore =
        S3ObjectStore.create(
            new io.breakglass.activities.config.DataSetConfig(
                "many",
                v1.secret(),
                io.breakglass.workflows.messages.values.DataSetType.S3_OBJECTS,
                null,
                null,
                null,
                null,
                null,
                null,
                io.breakglass.activities.config.AssociatedDataMode.NONE,
                1,
                1,
                1,
                0,
                null,
                new io.breakglass.activities.config.S3Location(
                    artifacts.location().bucket(), "many/")),
            () -> client);

    List<String> boundaries = manyStore.split(1).boundaries();

    // Ranges between distinct existing keys, open at both ends, cover every key exactly once.
    assertThat(boundaries).hasSizeBetween(1_001, 2_000).doesNotHaveDuplicates().isSorted();
    assertThat(many.keys()).containsAll(boundaries);
  }

  private Map<String, String> etags() {
    Map<String, String> etags = new java.util.TreeMap<>();
    artifacts.keys().forEach(k -> etags.put(k, artifacts.etag(k)));
    return etags;
  }

  private String digest(String content) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The stored size of a streaming envelope of {@code plaintext} bytes under a short key id. */
  private static int artifactsSize(long plaintext) {
    int segments = (int) ((plaintext + (1 << 20) - 1) >> 20);
    return (int)
        (4 + 1 + 1 + "artifact-encryption-key:v2".length() + 32 + 7 + plaintext + 16L * segments);
  }

  private ShardReencryptor reencryptor(ItemStore target) {
    return new ShardReencryptor(target, new BinaryEnvelopeCodec(), keyring, 8);
  }
}
