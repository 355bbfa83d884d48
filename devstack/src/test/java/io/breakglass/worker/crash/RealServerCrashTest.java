package io.breakglass.worker.crash;

import static io.breakglass.worker.rotation.Testbed.ARTIFACTS;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.BREAKGLASS_APPLICATION;
import static io.breakglass.worker.rotation.Testbed.FILES;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static io.breakglass.worker.rotation.Testbed.ROWS;
import static io.breakglass.worker.rotation.Testbed.SNAPSHOTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.reencrypt.ShardCheckpoint;
import io.breakglass.activities.reencrypt.ShardReencryptor;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.worker.embedded.RealTemporal;
import io.breakglass.worker.embedded.TemporalDevServer;
import io.breakglass.worker.rotation.CliHistories;
import io.breakglass.worker.rotation.Operator;
import io.breakglass.worker.rotation.Testbed;
import io.breakglass.worker.rotation.Testbed.Reencryption;
import io.breakglass.workflows.ReencryptDataSetWorkflow;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.ReencryptActivities.ShardResult;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.ShardRange;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of REENCRYPT on the real Temporal server ({@code temporal server
 * start-dev}, one for the class, SQLite in one database file), workers in processes of their own:
 * first of a worker, which a second worker replaces; then of the server itself, restarted on the
 * same database file while the worker process lives on and reconnects. Each rotation rotates both
 * data keys and completes with every row and every artifact file decrypting under its new key, the
 * plaintext unchanged, and each item re-encrypted exactly once: PostgreSQL logs every UPDATE
 * ({@link UpdateLog}), the kernel every file renamed into place ({@link ArtifactWriteLog}), and the
 * shard results' counters add up to the data sets.
 *
 * <p>The worker-kill rotation's histories, exported with the CLI, are the real-server histories
 * {@code ReplayTest} replays; they are written into the checked-in folder only with {@code
 * -Dbreakglass.regenerateHistories=true}.
 */
class RealServerCrashTest {

  /**
   * Two snapshot shards of 150, one at a time, 40 items/s: REENCRYPT of the rows lasts about 8 s.
   */
  private static final Reencryption ONE_SLOW_SHARD_AT_A_TIME =
      new Reencryption(150, 10, 1, 40, Duration.ofSeconds(2));

  private static final String[] SECRETS = {PAYLOAD_KEY, ARTIFACT_KEY};
  private static final Duration ROTATION_TIMEOUT = Duration.ofMinutes(3);

  /** Rows re-encrypted when the server is killed: REENCRYPT is under way, far from done. */
  private static final int ROWS_BEFORE_SERVER_KILL = 50;

  @TempDir static Path serverFolder;
  private static TemporalDevServer.Options serverOptions;
  private static TemporalDevServer server;

  @TempDir Path root;

  @AfterAll
  static void stopTemporal() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aWorkerKilledMidReencrypt_isReplaced_andEveryItemEndsUnderTheNewKeyReencryptedOnce()
      throws Exception {
    String rotationId = "real-worker-killed";
    TemporalDevServer temporal = server();
    Testbed testbed = new Testbed(root, DeploymentTargetType.NONE, ONE_SLOW_SHARD_AT_A_TIME);
    Map<String, String> plaintextBefore = testbed.plaintextDigests();
    UpdateLog rowUpdates = UpdateLog.install(testbed.app.jdbi());

    RotationStatus end;
    Outcome outcome;
    try (ArtifactWriteLog fileWrites = ArtifactWriteLog.watch(testbed.root.resolve("artifacts"));
        ProcessTestbed processes = new ProcessTestbed(testbed, temporal.target(), rotationId)) {
      // The 11th conditional write of the rows is in snapshot shard 0, 100 rows in.
      WorkerProcess first =
          processes.startWorker("worker-1", new StopPoint(StopPoint.Kind.MID_BATCH, 11));
      first.awaitReady();
      try (Operator operator = processes.startRotation(rotationId, SECRETS)) {
        first.awaitStopPoint();
        first.kill();
        processes.startWorker("worker-2", 0).awaitReady();
        end = operator.awaitEnd(ROTATION_TIMEOUT);
      }
      outcome = Outcome.of(processes.client(), rotationId, fileWrites);
      exportHistories(processes.client(), rotationId, "real-server-worker-killed");
    }

    assertThat(end.state()).as(end.failure()).isEqualTo(RotationState.COMPLETED);
    assertThat(outcome.snapshots().retried())
        .as("the killed shard, finished by the new worker")
        .anySatisfy(
            retried -> {
              assertThat(retried.result().shardIndex()).isZero();
              assertThat(retried.result().worker()).isEqualTo("worker-2");
            });
    assertEveryItemUnderTheNewKeys(testbed, rotationId);
    assertThat(testbed.plaintextDigests()).as("no item lost or changed").isEqualTo(plaintextBefore);
    assertReencryptedOnce(testbed, rotationId, rowUpdates, outcome);
  }

  @Test
  void
      theServerKilledMidReencrypt_andRestartedOnItsDatabase_theWorkerReconnects_andEveryItemEndsUnderTheNewKeyReencryptedOnce()
          throws Exception {
    String rotationId = "real-server-killed";
    TemporalDevServer killed = server();
    Testbed testbed = new Testbed(root, DeploymentTargetType.NONE, ONE_SLOW_SHARD_AT_A_TIME);
    Map<String, String> plaintextBefore = testbed.plaintextDigests();
    UpdateLog rowUpdates = UpdateLog.install(testbed.app.jdbi());

    RotationStatus end;
    Outcome outcome;
    int rowsAtKill;
    int rowsAtRestart;
    try (ArtifactWriteLog fileWrites = ArtifactWriteLog.watch(testbed.root.resolve("artifacts"));
        ProcessTestbed processes = new ProcessTestbed(testbed, killed.target(), rotationId)) {
      processes.startWorker("worker-1", 0).awaitReady();
      try (Operator operator = processes.startRotation(rotationId, SECRETS)) {
        awaitRowUpdates(rowUpdates, ROWS_BEFORE_SERVER_KILL);
        killed.kill();
        rowsAtKill = rowUpdates.by(BREAKGLASS_APPLICATION).size();
        server =
            TemporalDevServer.start(
                serverOptions.ports(killed.port(), killed.webUi().orElseThrow().getPort()));
        rowsAtRestart = rowUpdates.by(BREAKGLASS_APPLICATION).size();
        end = operator.awaitEnd(ROTATION_TIMEOUT);
      }
      outcome = Outcome.of(processes.client(), rotationId, fileWrites);
    }

    System.out.printf(
        "%s: %d row(s) re-encrypted when the server was killed, %d when it was back%n",
        rotationId, rowsAtKill, rowsAtRestart);
    assertThat(ProcessHandle.of(killed.pid())).as("the killed server").isEmpty();
    assertThat(server.pid()).isNotEqualTo(killed.pid());
    assertThat(rowsAtKill)
        .as("rows re-encrypted at the kill")
        .isBetween(ROWS_BEFORE_SERVER_KILL, ROWS - 1);
    assertThat(rowsAtRestart).as("rows re-encrypted when the server was back").isLessThan(ROWS);
    assertThat(end.state()).as(end.failure()).isEqualTo(RotationState.COMPLETED);
    assertThat(outcome.snapshots().run().workers())
        .as("the worker process that outlived the server finished the rows")
        .containsExactly("worker-1");
    assertEveryItemUnderTheNewKeys(testbed, rotationId);
    assertThat(testbed.plaintextDigests()).as("no item lost or changed").isEqualTo(plaintextBefore);
    assertReencryptedOnce(testbed, rotationId, rowUpdates, outcome);
  }

  /**
   * Negative control of the new-key check: it passes once every item was moved to the rotation's
   * version, and fails as soon as one row is back under the old key.
   */
  @Test
  void negativeControl_theNewKeyCheck_failsOnARowStillUnderTheOldKey() throws Exception {
    String rotationId = "negative-control";
    Testbed testbed = new Testbed(root);
    for (String dataSet : List.of(SNAPSHOTS, ARTIFACTS)) {
      ProtectedDataSet data = testbed.activities.dataSets().get(dataSet);
      String secret = data.config().secret();
      KeyId rotated = new KeyId(secret, VersionIds.forRotation(rotationId, secret));
      testbed.store.createPending(secret, rotated.versionId(), randomKey(), Map.of());
      reencryptAll(testbed, dataSet, rotated, Set.of());
    }
    assertEveryItemUnderTheNewKeys(testbed, rotationId);

    try (ApplicationWriter application =
        new ApplicationWriter(testbed.app, testbed.store, PAYLOAD_KEY, ROWS)) {
      application.write(7); // under CURRENT, which is still the old version
    }

    assertThatThrownBy(() -> assertEveryItemUnderTheNewKeys(testbed, rotationId))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("items of " + SNAPSHOTS + " under " + PAYLOAD_KEY + ":");
  }

  /**
   * Negative control of the file log: artifacts re-encrypted to a new version and back are each
   * written twice, and the log names exactly those.
   */
  @Test
  void negativeControl_theArtifactWriteLog_catchesEveryFileReencryptedTwice() throws Exception {
    Testbed testbed = new Testbed(root);
    KeyId old = testbed.currentKey(ARTIFACT_KEY);
    KeyId next = testbed.newPendingVersion(ARTIFACT_KEY);

    Map<String, Integer> writes;
    Set<String> twice;
    try (ArtifactWriteLog log = ArtifactWriteLog.watch(testbed.root.resolve("artifacts"))) {
      reencryptAll(testbed, ARTIFACTS, next, Set.of());
      assertThat(log.filesWrittenMoreThanOnce()).isEmpty();
      reencryptAll(testbed, ARTIFACTS, old, Set.of(next.versionId()));
      writes = log.writes();
      twice = log.filesWrittenMoreThanOnce();
    }

    assertThat(writes).hasSize(FILES).containsOnlyKeys(twice);
    assertThat(writes.values()).containsOnly(2);
  }

  /** The class's server, started on first use; the test is skipped without the CLI. */
  private static TemporalDevServer server() {
    Path cli = RealTemporal.cliOrSkip();
    if (server == null) {
      serverOptions =
          TemporalDevServer.Options.of(
              cli, serverFolder.resolve("temporal.db"), serverFolder.resolve("temporal.log"));
      server = TemporalDevServer.start(serverOptions);
    }
    return server;
  }

  /**
   * What the rotation recorded and the file log saw.
   *
   * @param snapshots the rows' child workflow: every shard result, the data set's totals
   * @param artifacts the files' child workflow
   * @param fileWrites renames into place per artifact file
   */
  private record Outcome(
      ReencryptionHistory snapshots,
      ReencryptionHistory artifacts,
      Map<String, Integer> fileWrites) {

    static Outcome of(WorkflowClient client, String rotationId, ArtifactWriteLog fileWrites)
        throws InterruptedException {
      Outcome outcome =
          new Outcome(
              ReencryptionHistory.of(client, rotationId, SNAPSHOTS, PAYLOAD_KEY),
              ReencryptionHistory.of(client, rotationId, ARTIFACTS, ARTIFACT_KEY),
              fileWrites.writes());
      for (ReencryptionHistory.ShardRun shard : outcome.snapshots().shards()) {
        ShardResult result = shard.result();
        System.out.printf(
            "%s: rows shard %d attempt %d on %s: %d re-encrypted, %d found done, %d conflict(s)%n",
            rotationId,
            result.shardIndex(),
            shard.attempt(),
            result.worker(),
            result.reencrypted(),
            result.alreadyTarget(),
            result.conflicts());
      }
      return outcome;
    }
  }

  /**
   * Every row and every file is there, decrypts, and is under the rotation's new version of its
   * key.
   */
  private static void assertEveryItemUnderTheNewKeys(Testbed testbed, String rotationId) {
    for (String dataSet : List.of(SNAPSHOTS, ARTIFACTS)) {
      String secret = testbed.activities.dataSets().get(dataSet).config().secret();
      String newKeyId = secret + ":" + VersionIds.forRotation(rotationId, secret);
      int items = dataSet.equals(SNAPSHOTS) ? ROWS : FILES;
      ScanReport scan = testbed.scan(dataSet);
      assertThat(scan.items()).as("items of " + dataSet).isEqualTo(items);
      assertThat(scan.undecryptable()).as("undecryptable items of " + dataSet).isZero();
      assertThat(scan.itemsUnder(newKeyId))
          .as("items of " + dataSet + " under " + newKeyId)
          .isEqualTo(items);
    }
  }

  /**
   * Each item was written by Breakglass exactly once, moving it from the old version to the new
   * one, as the database and the kernel saw it; and the shard results account for every item: the
   * ones re-encrypted as reported, plus the ones a retry found done by the attempt the crash lost.
   */
  private static void assertReencryptedOnce(
      Testbed testbed, String rotationId, UpdateLog rowUpdates, Outcome outcome) {
    String oldKeyId = new KeyId(PAYLOAD_KEY, testbed.initialVersion(PAYLOAD_KEY)).toString();
    String newKeyId = PAYLOAD_KEY + ":" + VersionIds.forRotation(rotationId, PAYLOAD_KEY);
    assertThat(rowUpdates.rowsUpdatedMoreThanOnceBy(BREAKGLASS_APPLICATION))
        .as("rows encrypted twice")
        .isEmpty();
    assertThat(rowUpdates.by(BREAKGLASS_APPLICATION))
        .hasSize(ROWS)
        .allSatisfy(
            update -> {
              assertThat(update.oldKeyId()).isEqualTo(oldKeyId);
              assertThat(update.newKeyId()).isEqualTo(newKeyId);
            });
    assertThat(outcome.fileWrites()).as("renames into place per file").hasSize(FILES);
    assertThat(outcome.fileWrites().values()).as("files encrypted twice").containsOnly(1);

    for (ReencryptionHistory child : List.of(outcome.snapshots(), outcome.artifacts())) {
      List<ShardResult> shards =
          child.shards().stream().map(ReencryptionHistory.ShardRun::result).toList();
      long items = child.run().dataSet().equals(SNAPSHOTS) ? ROWS : FILES;
      assertThat(shards.stream().mapToLong(ShardResult::scanned).sum()).isEqualTo(items);
      assertThat(child.run().scanned()).isEqualTo(items);
      assertThat(child.run().reencrypted() + child.alreadyTarget())
          .as(child.run().dataSet() + ": re-encrypted as reported + found done by a retry")
          .isEqualTo(items);
    }
  }

  /** Exports the rotation's history and its rows' child with the CLI; keeps them only if asked. */
  private static void exportHistories(WorkflowClient client, String rotationId, String name) {
    String child =
        ReencryptDataSetWorkflow.workflowId(
            rotationId, SNAPSHOTS, VersionIds.forRotation(rotationId, PAYLOAD_KEY));
    Map<String, String> workflows =
        Map.of(RotationWorkflow.workflowId(rotationId), name, child, name + "-reencrypt-snapshots");
    workflows.forEach(
        (workflowId, file) -> {
          String json = CliHistories.export(serverOptions.binary(), server.target(), workflowId);
          // The SDK's own reader takes the CLI's JSON, event for event.
          WorkflowExecutionHistory exported = WorkflowExecutionHistory.fromJson(json, workflowId);
          assertThat(exported.getEvents().stream().map(HistoryEvent::getEventType).toList())
              .as("events of " + workflowId + " exported with the CLI")
              .isEqualTo(
                  client.fetchHistory(workflowId).getEvents().stream()
                      .map(HistoryEvent::getEventType)
                      .toList());
          CliHistories.keepIfAsked(json, file);
        });
  }

  /** Re-encrypts the whole of {@code dataSet} to {@code target} as one shard, in this JVM. */
  private static void reencryptAll(
      Testbed testbed, String dataSet, KeyId target, Set<String> sources) {
    ProtectedDataSet data = testbed.activities.dataSets().get(dataSet);
    ShardRange everything = data.store().split(ROWS + FILES).shard(0);
    new ShardReencryptor(data.store(), data.codec(), new StoreKeyring(testbed.store), 25)
        .run(everything, target, sources, ShardCheckpoint.start(), checkpoint -> {});
  }

  private static void awaitRowUpdates(UpdateLog rowUpdates, int atLeast) {
    await("Breakglass re-encrypts at least " + atLeast + " rows")
        .atMost(ROTATION_TIMEOUT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> rowUpdates.by(BREAKGLASS_APPLICATION).size() >= atLeast);
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
