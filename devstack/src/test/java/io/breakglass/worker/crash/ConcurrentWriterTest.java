package io.breakglass.worker.crash;

import static io.breakglass.worker.rotation.Testbed.APP_DATABASE;
import static io.breakglass.worker.rotation.Testbed.BREAKGLASS_APPLICATION;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static io.breakglass.worker.rotation.Testbed.ROWS;
import static io.breakglass.worker.rotation.Testbed.SNAPSHOTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.reencrypt.ReencryptActivitiesImpl;
import io.breakglass.activities.reencrypt.ShardCheckpoint;
import io.breakglass.activities.reencrypt.ShardReencryptor;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.worker.rotation.Operator;
import io.breakglass.worker.rotation.PlaintextDigest;
import io.breakglass.worker.rotation.RotationTests;
import io.breakglass.worker.rotation.Testbed;
import io.breakglass.worker.rotation.Testbed.Reencryption;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DataSetRun;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.ShardRange;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application keeps writing during REENCRYPT, as it would in production: fresh envelopes under
 * the version that is CURRENT at that moment. None of its writes is lost, and Breakglass encrypts
 * no item twice, as PostgreSQL's own log of every UPDATE shows. Besides the writer's thread, which
 * races the shards at random, the writer also rewrites one row of each of the first {@value #RACES}
 * batches right between Breakglass's read and its conditional write, so the engine's conflict path
 * runs in every run, not only when timing allows.
 */
class ConcurrentWriterTest {

  /** Batches whose conditional write the application races into. */
  private static final int RACES = 3;

  /** Three shards of 100, two at a time, 150 items/s: REENCRYPT lasts about two seconds. */
  private static final Reencryption PACED = new Reencryption(100, 25, 2, 150, null);

  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void anApplicationWritingDuringReencrypt_losesNoWrite_andNoItemIsEncryptedTwice(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root, DeploymentTargetType.NONE, PACED);
    UpdateLog log = UpdateLog.install(testbed.app.jdbi());
    ProtectedDataSet snapshots = testbed.activities.dataSets().get(SNAPSHOTS);
    Map<String, String> before = PlaintextDigest.texts(snapshots, new StoreKeyring(testbed.store));

    RotationStatus end;
    Map<Long, String> written;
    try (ApplicationWriter writer =
        new ApplicationWriter(testbed.app, testbed.store, PAYLOAD_KEY, ROWS)) {
      RotationTests.startWorker(env, worker, testbed, racedShards(testbed, writer));
      RotationTests.start(client, options, RotationTests.emergency("writer-1", PAYLOAD_KEY));
      try (Operator operator =
          new Operator(client, "writer-1")
              .approves(GateName.PROCEED, "bob")
              .approves(GateName.REVOKE, "carol")
              .start()) {
        operator.awaitStatus(s -> s.phase().compareTo(Phase.REENCRYPT) >= 0, PATIENCE);
        writer.start();
        operator.awaitStatus(s -> s.phase().compareTo(Phase.REENCRYPT) > 0, PATIENCE);
        writer.stop();
        end = operator.awaitEnd(PATIENCE);
      }
      written = writer.lastWritten();
    }
    DataSetRun run = ReencryptionHistory.of(client, "writer-1", SNAPSHOTS, PAYLOAD_KEY).run();

    System.out.printf(
        "the application wrote %d time(s) to %d row(s); Breakglass re-encrypted %d, lost %d conditional write(s) to it%n",
        log.by(ApplicationWriter.APPLICATION).size(),
        written.size(),
        run.reencrypted(),
        run.conflicts());
    assertThat(end.state()).as(end.failure()).isEqualTo(RotationState.COMPLETED);
    String oldKeyId = new KeyId(PAYLOAD_KEY, testbed.initialVersion(PAYLOAD_KEY)).toString();
    String newKeyId = PAYLOAD_KEY + ":" + VersionIds.forRotation("writer-1", PAYLOAD_KEY);
    ScanReport scan = testbed.scan(SNAPSHOTS);
    assertThat(scan.itemsUnder(newKeyId)).isEqualTo(ROWS);
    assertThat(scan.undecryptable()).isZero();

    Map<String, String> expected = new TreeMap<>(before);
    written.forEach((row, plaintext) -> expected.put(Long.toString(row), plaintext));
    assertThat(written).as("rows the application rewrote").hasSizeGreaterThanOrEqualTo(RACES);
    assertThat(PlaintextDigest.texts(snapshots, new StoreKeyring(testbed.store)))
        .as("every row holds the application's last write, or its original content")
        .isEqualTo(expected);

    List<UpdateLog.Update> byBreakglass = log.by(BREAKGLASS_APPLICATION);
    assertThat(log.rowsUpdatedMoreThanOnceBy(BREAKGLASS_APPLICATION))
        .as("rows encrypted twice")
        .isEmpty();
    assertThat(byBreakglass).hasSize((int) run.reencrypted());
    assertThat(byBreakglass)
        .as("Breakglass only ever moved an item from the old key to the new one")
        .allSatisfy(
            update -> {
              assertThat(update.oldKeyId()).isEqualTo(oldKeyId);
              assertThat(update.newKeyId()).isEqualTo(newKeyId);
            });
    assertThat(run.conflicts())
        .as("conditional writes lost to the application")
        .isGreaterThanOrEqualTo(RACES);
    assertThat(log.by(ApplicationWriter.APPLICATION)).hasSizeGreaterThanOrEqualTo(written.size());
  }

  /** Negative control: the log does catch an item that Breakglass encrypts a second time. */
  @Test
  void negativeControl_theUpdateLogCatchesAnItemEncryptedTwice() {
    Testbed testbed = new Testbed(root);
    UpdateLog log = UpdateLog.install(testbed.app.jdbi());
    ProtectedDataSet snapshots = testbed.activities.dataSets().get(SNAPSHOTS);
    ShardRange shard = snapshots.store().split(snapshots.config().shardSize()).shard(0);
    KeyId old = testbed.currentKey(PAYLOAD_KEY);
    KeyId next = testbed.newPendingVersion(PAYLOAD_KEY);
    ShardReencryptor engine =
        new ShardReencryptor(
            snapshots.store(), snapshots.codec(), new StoreKeyring(testbed.store), 25);

    long once = engine.run(shard, next, Set.of(), ShardCheckpoint.start(), c -> {}).reencrypted();
    assertThat(log.rowsUpdatedMoreThanOnceBy(BREAKGLASS_APPLICATION)).isEmpty();
    engine.run(shard, old, Set.of(next.versionId()), ShardCheckpoint.start(), c -> {});

    assertThat(once).isPositive();
    assertThat(log.rowsUpdatedMoreThanOnceBy(BREAKGLASS_APPLICATION)).hasSize((int) once);
  }

  /**
   * The real shard activity on Breakglass's own connections, with the application writing one row
   * of each of the first {@value #RACES} batches after the batch was read, before it is written.
   */
  private static ReencryptActivitiesImpl racedShards(Testbed testbed, ApplicationWriter writer) {
    BatchEvents race =
        new BatchEvents() {
          @Override
          public void beforeConditionalWrite(int n, List<Long> rows) {
            if (n <= RACES) {
              writer.write(rows.get(rows.size() / 2));
            }
          }
        };
    ProtectedDataSets dataSets =
        new ProtectedDataSets(
            testbed.settings,
            Map.of(APP_DATABASE, WatchedDatabase.wrap(testbed.appDataSource(), race)));
    return new ReencryptActivitiesImpl(dataSets, testbed.store, "in-process-worker");
  }
}
