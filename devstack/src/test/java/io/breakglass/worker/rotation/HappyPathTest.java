package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACTS;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static io.breakglass.worker.rotation.Testbed.SNAPSHOTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.audit.RotationRow;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.workflows.ReencryptDataSetWorkflow;
import io.breakglass.workflows.RoutineRotationWorkflow;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.messages.queries.RotationResult;
import io.breakglass.workflows.messages.queries.RotationStatus;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class HappyPathTest {

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void anEmergencyRotation_runsAllFourteenPhases_andLeavesEverythingOnTheNewVersions(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    RecordingNotifications notifications = RotationTests.recording(testbed);
    RotationTests.startWorker(env, worker, testbed, notifications);
    Map<String, String> plaintextBefore = testbed.plaintextDigests();

    WorkflowStub stub =
        RotationTests.start(
            client, options, RotationTests.emergency("happy-1", ARTIFACT_KEY, PAYLOAD_KEY, JWT));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "happy-1")
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .start()) {
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }
    RotationResult result = stub.getResult(RotationResult.class);
    Histories.recordIfAsked(client, "happy-1", "happy-path");
    Histories.recordWorkflowIfAsked(client, snapshotsChild(), "happy-path-reencrypt-snapshots");

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    for (String secret : List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT)) {
      String fresh = VersionIds.forRotation("happy-1", secret);
      assertThat(testbed.current(secret).versionId()).as(secret + " CURRENT").isEqualTo(fresh);
      assertThat(testbed.state(secret).version(testbed.initialVersion(secret)).orElseThrow())
          .satisfies(
              old -> {
                assertThat(old.status()).isEqualTo(VersionStatus.REVOKED);
                assertThat(old.labels()).isEmpty();
              });
      assertThat(testbed.state(secret).labelled(Label.PENDING)).isEmpty();
    }
    assertThat(testbed.scan(SNAPSHOTS).itemsUnder(testbed.currentKey(PAYLOAD_KEY).toString()))
        .isEqualTo(Testbed.ROWS);
    assertThat(testbed.scan(ARTIFACTS).itemsUnder(testbed.currentKey(ARTIFACT_KEY).toString()))
        .isEqualTo(Testbed.FILES);
    assertThat(testbed.plaintextDigests()).isEqualTo(plaintextBefore);
    assertThat(result.itemsReencrypted()).isEqualTo(Testbed.ROWS + Testbed.FILES);
    assertThat(testbed.keyringFile())
        .contains(VersionIds.forRotation("happy-1", PAYLOAD_KEY))
        .doesNotContain(testbed.initialVersion(PAYLOAD_KEY));

    List<Phase> phases =
        result.timeline().stream()
            .filter(e -> e.actor().equals(TimelineEntry.SYSTEM_ACTOR))
            .filter(e -> e.outcome() != TimelineOutcome.RUNNING)
            .map(TimelineEntry::phase)
            .distinct()
            .toList();
    assertThat(phases).containsExactly(Phase.values());
    assertThat(result.timeline())
        .filteredOn(e -> e.phase() == Phase.METRIC_WATCH)
        .singleElement()
        .satisfies(e -> assertThat(e.outcome()).isEqualTo(TimelineOutcome.SKIPPED));
    assertThat(result.timeline())
        .filteredOn(
            e ->
                e.outcome() == TimelineOutcome.APPROVED
                    && !e.actor().equals(TimelineEntry.SYSTEM_ACTOR))
        .extracting(TimelineEntry::actor)
        .containsExactly("bob", "carol");

    RotationRow row = testbed.history().find("happy-1").orElseThrow();
    assertThat(row.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(row.approvers()).containsExactly("bob", "carol");
    assertThat(row.validations())
        .as("no smoke check covers the testbed's secrets, and the report says why")
        .contains(
            "smoke coverage jwt: passed no smoke check configured for jwt: allowed by configuration"
                + " (the testbed runs no service to check)");
    assertThat(testbed.history().timeline("happy-1")).hasSize(result.timeline().size());
    TimelineEntry close =
        result.timeline().stream().filter(e -> e.phase() == Phase.CLOSE).findFirst().orElseThrow();
    assertThat(result.nextRotationDue()).isEqualTo(close.startedAt().plus(Duration.ofDays(90)));
    assertThat(notifications.to(Audience.CUSTOMER_SUCCESS))
        .extracting(n -> n.event())
        .contains("started", "completed");

    RoutineRotationWorkflow schedule =
        client.newWorkflowStub(
            RoutineRotationWorkflow.class, RoutineRotationWorkflow.workflowId(PAYLOAD_KEY));
    assertThat(schedule.schedule().dueAt()).isEqualTo(result.nextRotationDue());
  }

  /** The child workflow that re-encrypted ai-snapshots in rotation happy-1. */
  static String snapshotsChild() {
    return ReencryptDataSetWorkflow.workflowId(
        "happy-1", SNAPSHOTS, VersionIds.forRotation("happy-1", PAYLOAD_KEY));
  }
}
