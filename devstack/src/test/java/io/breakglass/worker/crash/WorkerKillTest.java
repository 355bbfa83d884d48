package io.breakglass.worker.crash;

import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static io.breakglass.worker.rotation.Testbed.ROWS;
import static io.breakglass.worker.rotation.Testbed.SNAPSHOTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.reencrypt.ShardCheckpoint;
import io.breakglass.activities.reencrypt.ShardReencryptor;
import io.breakglass.activities.reencrypt.Throttle;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.worker.rotation.Operator;
import io.breakglass.worker.rotation.Testbed;
import io.breakglass.worker.rotation.Testbed.Reencryption;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.ReencryptActivities.ShardRequest;
import io.breakglass.workflows.activities.ReencryptActivities.ShardResult;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.ShardRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a worker process at three exact moments of a shard (and once between two
 * shards finishing together), with the Temporal server in a process of its own; a new worker
 * process takes over. The rotation completes, every item decrypts under the new key id with its
 * plaintext unchanged, and the work done twice stays within one batch plus the heartbeat lag
 * (docs/architecture.md, performance targets), as the engine's own counters report it.
 *
 * <p>The bound, for ai-snapshots here (300 rows; two shards of 150, one at a time; batches of 10;
 * 40 items/s; heartbeat timeout 2 s): 10 + 0.8 × 2 s × 40/s = 74 items (see {@link RedoBound}).
 * Every kill lands in shard 0 after 100 or 150 of its items were written, so a retry that forgot
 * its checkpoint would redo at least 100: the negative control shows the count then exceeds it.
 */
class WorkerKillTest {

  private static final Reencryption ONE_SLOW_SHARD_AT_A_TIME =
      new Reencryption(150, 10, 1, 40, Duration.ofSeconds(2));
  private static final Duration ROTATION_TIMEOUT = Duration.ofMinutes(3);

  @TempDir static Path serverFolder;
  private static ServerProcess server;

  @TempDir Path root;

  @BeforeAll
  static void startTemporal() throws Exception {
    server = ServerProcess.start(serverFolder.resolve("temporal.log"));
  }

  @AfterAll
  static void stopTemporal() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void killedMidBatch_theRotationCompletesAndRedoesAtMostOneBatchPlusTheHeartbeatLag()
      throws Exception {
    killAndReplace("kill-mid-batch", new StopPoint(StopPoint.Kind.MID_BATCH, 11));
  }

  @Test
  void killedBetweenBatches_theRotationCompletesAndRedoesAtMostOneBatchPlusTheHeartbeatLag()
      throws Exception {
    killAndReplace("kill-between-batches", new StopPoint(StopPoint.Kind.BETWEEN_BATCHES, 10));
  }

  @Test
  void
      killedRightAfterAShardCompleted_theRotationCompletesAndRedoesAtMostOneBatchPlusTheHeartbeatLag()
          throws Exception {
    killAndReplace("kill-after-shard", new StopPoint(StopPoint.Kind.AFTER_SHARD, 1));
  }

  /**
   * Two shards of 150 rows at the same rate finish within moments of each other; the worker is
   * killed after the second returned its result and before Temporal heard of it, while the first
   * one's completion and progress report are in flight. The rotation's final figures come from the
   * child's result, not from the last report that arrived: every shard done, every row scanned, and
   * as many rows under the new key as the scan counts (the lost attempt's writes included).
   */
  @Test
  void twoShardsFinishingTogether_aWorkerKilledBetweenThem_theStatusAgreesWithTheScan()
      throws Exception {
    Testbed testbed =
        new Testbed(
            root,
            DeploymentTargetType.NONE,
            new Reencryption(150, 10, 2, 150, Duration.ofSeconds(2)));
    String rotationId = "kill-between-two-shards";

    RotationStatus end;
    try (ProcessTestbed processes = new ProcessTestbed(testbed, server, rotationId)) {
      end = killedThenReplaced(processes, rotationId, new StopPoint(StopPoint.Kind.AFTER_SHARD, 2));
    }

    assertThat(end.state()).as(end.failure()).isEqualTo(RotationState.COMPLETED);
    String newKeyId = PAYLOAD_KEY + ":" + VersionIds.forRotation(rotationId, PAYLOAD_KEY);
    ScanReport scan = testbed.scan(SNAPSHOTS);
    assertThat(scan.itemsUnder(newKeyId)).isEqualTo(ROWS);
    DataSetProgress progress =
        end.progress().stream()
            .filter(p -> p.dataSet().equals(SNAPSHOTS))
            .findFirst()
            .orElseThrow();
    assertThat(progress.shardsTotal()).isEqualTo(2);
    assertThat(progress.shardsDone()).isEqualTo(2);
    assertThat(progress.itemsDone()).isEqualTo(scan.items());
    assertThat(progress.itemsUnderTarget()).isEqualTo(scan.itemsUnder(newKeyId));
    assertThat(progress.targetKeyId()).isEqualTo(newKeyId);
  }

  /**
   * Negative control: a retry that starts its shard from scratch instead of from the checkpoint
   * finds everything the lost attempt wrote already re-encrypted, and that count exceeds the bound.
   */
  @Test
  void negativeControl_aRetryThatForgetsTheCheckpoint_redoesMoreThanTheBound() {
    Testbed testbed = new Testbed(root, DeploymentTargetType.NONE, ONE_SLOW_SHARD_AT_A_TIME);
    DataSetConfig config = testbed.settings.dataSet(SNAPSHOTS).orElseThrow();
    ProtectedDataSet snapshots = testbed.activities.dataSets().get(SNAPSHOTS);
    ShardRange shard = snapshots.store().split(config.shardSize()).shard(0);
    KeyId target = testbed.newPendingVersion(PAYLOAD_KEY);
    // Unthrottled, for speed, but with every batch durable and reported, as a rate-limited shard.
    ShardReencryptor lostAttempt =
        new ShardReencryptor(
            snapshots.store(),
            snapshots.codec(),
            new StoreKeyring(testbed.store),
            config.batchSize(),
            Throttle.of(0),
            Duration.ZERO);
    assertThatThrownBy(
            () ->
                lostAttempt.run(
                    shard,
                    target,
                    Set.of(),
                    ShardCheckpoint.start(),
                    checkpoint -> {
                      if (checkpoint.batches() == 10) {
                        throw new IllegalStateException("worker killed after ten batches");
                      }
                    }))
        .hasMessageContaining("worker killed");

    ShardResult fromScratch;
    try (ShardActivity activity = new ShardActivity(testbed)) {
      fromScratch =
          activity.run(
              new ShardRequest(
                  "negative-control", SNAPSHOTS, shard, target.versionId(), List.of(), 0));
    }

    assertThat(fromScratch.alreadyTarget())
        .isEqualTo(10L * config.batchSize())
        .isGreaterThan(RedoBound.of(config).items());
  }

  /**
   * Runs a rotation of the payload key on worker-1, kills it with SIGKILL at {@code stop}, lets
   * worker-2 finish, and checks the outcome, the data and the work done twice.
   */
  private void killAndReplace(String rotationId, StopPoint stop) throws Exception {
    Testbed testbed = new Testbed(root, DeploymentTargetType.NONE, ONE_SLOW_SHARD_AT_A_TIME);
    Map<String, String> plaintextBefore = testbed.plaintextDigests();
    RedoBound bound = RedoBound.of(testbed.settings.dataSet(SNAPSHOTS).orElseThrow());

    RotationStatus end;
    ReencryptionHistory history;
    try (ProcessTestbed processes = new ProcessTestbed(testbed, server, rotationId)) {
      end = killedThenReplaced(processes, rotationId, stop);
      history = ReencryptionHistory.of(processes.client(), rotationId, SNAPSHOTS, PAYLOAD_KEY);
    }

    assertThat(end.state()).as(end.failure()).isEqualTo(RotationState.COMPLETED);
    String newKeyId = PAYLOAD_KEY + ":" + VersionIds.forRotation(rotationId, PAYLOAD_KEY);
    ScanReport scan = testbed.scan(SNAPSHOTS);
    assertThat(scan.items()).isEqualTo(ROWS);
    assertThat(scan.itemsUnder(newKeyId)).as("items under " + newKeyId).isEqualTo(ROWS);
    assertThat(scan.undecryptable()).isZero();
    assertThat(testbed.plaintextDigests()).isEqualTo(plaintextBefore);

    assertThat(history.retried())
        .as("the killed shard, finished by the new worker")
        .anySatisfy(
            retried -> {
              assertThat(retried.result().shardIndex()).isZero();
              assertThat(retried.result().worker()).isEqualTo("worker-2");
            });
    List<ShardResult> results =
        history.shards().stream().map(ReencryptionHistory.ShardRun::result).toList();
    assertThat(results.stream().mapToLong(ShardResult::scanned).sum()).isEqualTo(ROWS);
    assertThat(results.stream().mapToLong(r -> r.reencrypted() + r.alreadyTarget()).sum())
        .isEqualTo(ROWS);
    long redone = history.alreadyTarget();
    System.out.printf("%s (%s): %d item(s) redone; bound %s%n", rotationId, stop, redone, bound);
    assertThat(redone)
        .as("items re-encrypted twice; bound " + bound)
        .isLessThanOrEqualTo(bound.items());
  }

  /**
   * Rotates the payload key on worker-1, kills it with SIGKILL once it halts at {@code stop}, and
   * lets worker-2 finish; returns the rotation's final status.
   */
  private static RotationStatus killedThenReplaced(
      ProcessTestbed processes, String rotationId, StopPoint stop) throws Exception {
    WorkerProcess first = processes.startWorker("worker-1", stop);
    first.awaitReady();
    try (Operator operator = processes.startRotation(rotationId, PAYLOAD_KEY)) {
      first.awaitStopPoint();
      first.kill();
      processes.startWorker("worker-2", 0).awaitReady();
      return operator.awaitEnd(ROTATION_TIMEOUT);
    }
  }
}
