package io.breakglass.worker.crash;

import static io.breakglass.worker.rotation.Testbed.ARTIFACTS;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static io.breakglass.worker.rotation.Testbed.SNAPSHOTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.worker.rotation.Testbed;
import io.breakglass.workflows.activities.ReencryptActivities.ShardRequest;
import io.breakglass.workflows.activities.ReencryptActivities.ShardResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At-least-once delivery: Temporal may run a shard again after it did its work (its completion was
 * lost, or it timed out while finishing). The second run of the same request through the real
 * activity finds every item under the target and writes nothing at all: every row keeps its stored
 * value and its row version, every file its bytes, inode and modification time.
 */
class ShardRunTwiceTest {

  @TempDir Path root;

  @Test
  void aSnapshotShardDeliveredTwice_rewritesNoRowTheSecondTime() {
    Testbed testbed = new Testbed(root);

    runTwice(testbed, SNAPSHOTS, PAYLOAD_KEY, () -> rowVersions(testbed));
  }

  @Test
  void anArtifactShardDeliveredTwice_rewritesNoFileTheSecondTime() {
    Testbed testbed = new Testbed(root);

    runTwice(testbed, ARTIFACTS, ARTIFACT_KEY, () -> fileVersions(root.resolve("artifacts")));
  }

  /** Negative control: a rewrite to the very same value still shows, as a new row version. */
  @Test
  void negativeControl_aRowRewrittenWithItsOwnValue_showsAsChanged() {
    Testbed testbed = new Testbed(root);
    Map<String, String> before = rowVersions(testbed);

    testbed
        .app
        .jdbi()
        .useHandle(h -> h.execute("UPDATE ai_json_snapshots SET payload = payload WHERE id = 1"));

    Map<String, String> after = rowVersions(testbed);
    assertThat(after.get("1")).isNotEqualTo(before.get("1"));
    after.remove("1");
    before.remove("1");
    assertThat(after).isEqualTo(before);
  }

  private static void runTwice(
      Testbed testbed, String dataSet, String secret, Supplier<Map<String, String>> stored) {
    ProtectedDataSet data = testbed.activities.dataSets().get(dataSet);
    KeyId target = testbed.newPendingVersion(secret);
    ShardRequest request =
        new ShardRequest(
            "delivered-twice",
            dataSet,
            data.store().split(data.config().shardSize()).shard(0),
            target.versionId(),
            List.of(),
            0);

    ShardResult first;
    ShardResult second;
    Map<String, String> afterFirst;
    try (ShardActivity activity = new ShardActivity(testbed)) {
      first = activity.run(request);
      afterFirst = stored.get();
      second = activity.run(request);
    }

    assertThat(first.reencrypted()).isPositive().isEqualTo(first.scanned());
    assertThat(second.reencrypted()).isZero();
    assertThat(second.conflicts()).isZero();
    assertThat(second.alreadyTarget()).isEqualTo(first.scanned());
    assertThat(stored.get()).isEqualTo(afterFirst);
  }

  /**
   * Per row: its row version ({@code xmin}, new on every UPDATE, even to the same value) and value.
   */
  private static Map<String, String> rowVersions(Testbed testbed) {
    return testbed
        .app
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id::text AS id, xmin::text || ' ' || payload::text AS version FROM ai_json_snapshots")
                    .reduceRows(
                        new TreeMap<String, String>(),
                        (map, row) -> {
                          map.put(
                              row.getColumn("id", String.class),
                              row.getColumn("version", String.class));
                          return map;
                        }));
  }

  /** Per file: its inode (new on every atomic replace), modification time and content digest. */
  private static Map<String, String> fileVersions(Path folder) {
    Map<String, String> versions = new TreeMap<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        versions.put(
            folder.relativize(file).toString(),
            attributes.fileKey()
                + " "
                + attributes.lastModifiedTime()
                + " "
                + sha256(Files.readAllBytes(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
