package io.breakglass.api;

import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static io.breakglass.worker.rotation.Testbed.SNAPSHOTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.audit.RotationRow;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.api.core.Doctor;
import io.breakglass.api.core.RotationRecordReconciler;
import io.breakglass.api.wire.Checkup;
import io.breakglass.api.wire.Checkup.DataSetCheck;
import io.breakglass.worker.rotation.Operator;
import io.breakglass.worker.rotation.RotationTests;
import io.breakglass.worker.rotation.Testbed;
import io.breakglass.worker.rotation.Testbed.Reencryption;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An EMERGENCY rotation terminated from Temporal in the middle of REENCRYPT (as from the Web UI: no
 * code of its own runs after, no compensation), then found and settled: its record is closed
 * TERMINATED with its close time, {@code doctor} names what it left (the suspected version still
 * usable as PREVIOUS, rows under two keys, the stale record), and the next EMERGENCY rotation
 * revokes the suspected version with the one it replaces. At the end no old version is usable, no
 * record is RUNNING, every row is under the newest key with its plaintext unchanged, and the
 * figures are exact: all 300 rows re-encrypted, every shard done.
 */
class InterruptedRotationTest {

  /** Shards of 50 rows one at a time at 60 rows/s: REENCRYPT lasts about five seconds. */
  private static final Reencryption SLOW = new Reencryption(50, 10, 1, 60, null);

  private static final Duration WITHIN = Duration.ofMinutes(2);

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void terminatedMidReencrypt_isFoundAndSettled_andTheNextEmergencyRotationRevokesWhatItLeft(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root, DeploymentTargetType.NONE, SLOW);
    String suspected = testbed.initialVersion(PAYLOAD_KEY);
    Map<String, String> plaintexts = testbed.plaintextDigests();
    RotationTests.startWorker(env, worker, testbed);
    RotationHistory history = new RotationHistory(testbed.breakglass.jdbi());
    Doctor doctor =
        new Doctor(
            testbed.store,
            List.of(PAYLOAD_KEY),
            new RotationRecordReconciler(client, history, Clock.systemUTC()));

    WorkflowStub interrupted =
        RotationTests.start(client, options, RotationTests.emergency("r-terminated", PAYLOAD_KEY));
    try (Operator operator =
        new Operator(client, "r-terminated").approves(GateName.PROCEED, "bob").start()) {
      operator.awaitStatus(InterruptedRotationTest::midReencrypt, WITHIN);
    }
    interrupted.terminate("terminated from the Web UI");
    String interruptedVersion = testbed.current(PAYLOAD_KEY).versionId();
    assertThat(interruptedVersion).as("promoted before REENCRYPT").isNotEqualTo(suspected);
    assertThat(history.find("r-terminated").orElseThrow().state())
        .as("negative control: the record says RUNNING until it is reconciled")
        .isEqualTo(RotationState.RUNNING);

    Checkup found = doctor.check(List.of(dataSetCheck(testbed.scan(SNAPSHOTS))));

    RotationRow closed = history.find("r-terminated").orElseThrow();
    assertThat(closed.state()).isEqualTo(RotationState.TERMINATED);
    assertThat(closed.endedAt()).isNotNull();
    assertThat(found.stale()).extracting(r -> r.rotationId()).containsExactly("r-terminated");
    assertThat(found.findings())
        .anyMatch(f -> f.contains("version " + suspected + " is PREVIOUS and still usable"))
        .anyMatch(
            f -> f.contains("not under the CURRENT " + PAYLOAD_KEY + ":" + interruptedVersion))
        .anyMatch(f -> f.startsWith("rotation r-terminated was recorded RUNNING"));

    RotationTests.start(client, options, RotationTests.emergency("r-after", PAYLOAD_KEY));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "r-after")
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .start()) {
      end = operator.awaitEnd(WITHIN);
    }

    assertThat(end.state()).as(end.failure()).isEqualTo(RotationState.COMPLETED);
    assertThat(entries(end, TimelineOutcome.LEFTOVER))
        .singleElement()
        .satisfies(e -> assertThat(e).contains(suspected + " (PREVIOUS)"));
    assertThat(entries(end, TimelineOutcome.SUCCEEDED))
        .contains("revoked the leftover version " + suspected + " of " + PAYLOAD_KEY);
    String newest = testbed.current(PAYLOAD_KEY).versionId();
    assertThat(testbed.state(PAYLOAD_KEY).versions())
        .as("no old version usable")
        .filteredOn(v -> v.status() == VersionStatus.ACTIVE)
        .extracting(SecretVersion::versionId)
        .containsExactly(newest);
    ScanReport scan = testbed.scan(SNAPSHOTS);
    assertThat(scan.itemsUnder(PAYLOAD_KEY + ":" + newest)).isEqualTo(Testbed.ROWS);
    assertThat(scan.undecryptable()).isZero();
    assertThat(testbed.plaintextDigests()).isEqualTo(plaintexts);
    DataSetProgress progress =
        end.progress().stream()
            .filter(p -> p.dataSet().equals(SNAPSHOTS))
            .findFirst()
            .orElseThrow();
    assertThat(progress.shardsDone()).isEqualTo(progress.shardsTotal());
    assertThat(progress.itemsDone()).isEqualTo(Testbed.ROWS);
    assertThat(progress.itemsReencrypted()).as("rows under either old key").isEqualTo(Testbed.ROWS);
    assertThat(progress.itemsUnderTarget()).isEqualTo(scan.itemsUnder(PAYLOAD_KEY + ":" + newest));
    assertThat(history.find("r-after").orElseThrow().itemsReencrypted())
        .isEqualTo((long) Testbed.ROWS);
    assertThat(history.running()).as("no record stuck RUNNING").isEmpty();

    Checkup after = doctor.check(List.of(dataSetCheck(scan)));
    assertThat(after.findings()).as("nothing left for a human").isEmpty();
  }

  /** REENCRYPT has finished some shards of the snapshots, not all. */
  private static boolean midReencrypt(RotationStatus status) {
    return status.phase() == Phase.REENCRYPT
        && status.progress().stream()
            .anyMatch(
                p ->
                    p.dataSet().equals(SNAPSHOTS)
                        && p.shardsDone() >= 1
                        && p.shardsDone() < p.shardsTotal());
  }

  private static DataSetCheck dataSetCheck(ScanReport scan) {
    return new DataSetCheck(SNAPSHOTS, PAYLOAD_KEY, scan.itemsByKeyId(), scan.undecryptable());
  }

  private static List<String> entries(RotationStatus status, TimelineOutcome outcome) {
    return status.timeline().stream()
        .filter(e -> e.outcome() == outcome)
        .map(TimelineEntry::detail)
        .toList();
  }
}
