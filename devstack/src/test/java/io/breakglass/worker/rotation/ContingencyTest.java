package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.worker.rotation.Faults.When;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.ReencryptActivities;
import io.breakglass.workflows.activities.ReencryptActivities.ShardRequest;
import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.messages.queries.CompensationState;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
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

/** The runbook's contingencies: a human decides, and nothing is swallowed. */
class ContingencyTest {

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void aCorruptRow_haltsListsTheItemAndRestoresItFromTheBackupBeforeRollingBack(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    RecordingNotifications notifications = RotationTests.recording(testbed);
    RotationTests.startWorker(env, worker, testbed, notifications);
    Map<String, String> before = testbed.plaintextDigests();
    String row42 = snapshotPayload(testbed, 42);

    WorkflowStub stub =
        RotationTests.start(client, options, RotationTests.emergency("corrupt", PAYLOAD_KEY));
    RotationStatus halted;
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "corrupt")
            // After the backup, the row is damaged (as a storage fault or a bad write would).
            .whenOpen(GateName.PROCEED, () -> corrupt(testbed, 42))
            .approves(GateName.PROCEED, "bob")
            .start()) {
      halted = operator.awaitStatus(s -> s.pendingDecision() != null, Duration.ofMinutes(1));
      try (Operator decider =
          new Operator(client, "corrupt").decides(ResumeAction.RESTORE_AND_ROLLBACK).start()) {
        end = decider.awaitEnd(Duration.ofMinutes(2));
      }
    }

    assertThat(halted.state()).isEqualTo(RotationState.AWAITING_DECISION);
    assertThat(halted.pendingDecision().allowed())
        .containsExactly(
            ResumeAction.RETRY, ResumeAction.ROLLBACK, ResumeAction.RESTORE_AND_ROLLBACK);
    assertThat(halted.pendingDecision().items())
        .containsExactly("ai-snapshots 42: AUTHENTICATION_FAILED");
    assertThat(halted.pendingDecision().reason())
        .contains("UNDECRYPTABLE_ITEMS")
        .doesNotContain("synthetic");
    assertThat(notifications.to(Audience.ESCALATION))
        .extracting(n -> n.summary())
        .anyMatch(s -> s.contains("ai-snapshots 42"));
    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(end.timeline())
        .anyMatch(
            e -> e.detail() != null && e.detail().startsWith("restored 1 item(s) of ai-snapshots"));
    assertThat(snapshotPayload(testbed, 42)).isEqualTo(row42);
    assertThat(failure(stub).getType()).isEqualTo(RotationErrors.ROLLED_BACK_BY_OPERATOR.name());
    OldVersions.assertRestored(testbed, "corrupt", List.of(PAYLOAD_KEY), before);
  }

  @Test
  void aShardThatFailsOnce_isRetriedOnTheOperatorsWord_andTheRotationCompletes(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    ReencryptActivities flaky =
        Faults.failing(
            ReencryptActivities.class,
            (ReencryptActivities) RotationTests.real(testbed, ReencryptActivities.class),
            "reencryptShard",
            When.BEFORE,
            args -> ((ShardRequest) args[0]).shard().index() == 2,
            1);
    RotationTests.startWorker(env, worker, testbed, flaky);

    RotationTests.start(
        client, options, RotationTests.emergency("retry", ARTIFACT_KEY, PAYLOAD_KEY));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "retry")
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .decides(ResumeAction.RETRY)
            .start()) {
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(end.timeline())
        .anyMatch(e -> e.outcome() == TimelineOutcome.RESUMED && e.actor().equals("olivia"));
    assertThat(
            testbed.scan(Testbed.SNAPSHOTS).itemsUnder(testbed.currentKey(PAYLOAD_KEY).toString()))
        .isEqualTo(Testbed.ROWS);
    assertThat(
            testbed.scan(Testbed.ARTIFACTS).itemsUnder(testbed.currentKey(ARTIFACT_KEY).toString()))
        .isEqualTo(Testbed.FILES);
  }

  @Test
  void aCompensationThatKeepsFailing_escalatesAndIsNeverSwallowed(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    RecordingNotifications notifications = RotationTests.recording(testbed);
    String jwtVersion = VersionIds.forRotation("stuck", JWT);
    SecretActivities stuck =
        Faults.failing(
            SecretActivities.class,
            (SecretActivities) RotationTests.real(testbed, SecretActivities.class),
            "discardVersion",
            When.BEFORE,
            args -> ((SecretActivities.VersionRequest) args[0]).secret().equals(JWT),
            Integer.MAX_VALUE);
    RotationTests.startWorker(env, worker, testbed, stuck, notifications);

    WorkflowStub stub =
        RotationTests.start(client, options, RotationTests.emergency("stuck", JWT, ARTIFACT_KEY));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "stuck")
            .approves(GateName.PROCEED, "bob")
            .rejects(GateName.REVOKE, "carol")
            .decides(ResumeAction.ROLLBACK, ResumeAction.RETRY, ResumeAction.SKIP_STEP)
            .start()) {
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }

    assertThat(end.state()).isEqualTo(RotationState.FAILED);
    ApplicationFailure failure = failure(stub);
    assertThat(failure.getType()).isEqualTo(RotationErrors.COMPENSATION_FAILED.name());
    assertThat(failure.getOriginalMessage())
        .contains("discard version " + jwtVersion + " of jwt")
        .contains(RotationErrors.ROLLED_BACK_BY_OPERATOR.name());
    assertThat(end.compensations())
        .filteredOn(c -> c.description().equals("discard version " + jwtVersion + " of jwt"))
        .singleElement()
        .extracting(CompensationView::state)
        .isEqualTo(CompensationState.SKIPPED_BY_OPERATOR);
    assertThat(end.compensations())
        .filteredOn(c -> !c.description().equals("discard version " + jwtVersion + " of jwt"))
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
    assertThat(notifications.to(Audience.ESCALATION).stream().map(n -> n.event()))
        .as("escalated once per failure: the first attempt and the retried one")
        .filteredOn(e -> e.startsWith("compensation-failed"))
        .hasSize(2);
    assertThat(testbed.current(ARTIFACT_KEY).versionId())
        .isEqualTo(testbed.initialVersion(ARTIFACT_KEY));
  }

  @Test
  void aStalePendingVersion_waitsForAHuman_whoCanRollBack(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    testbed.store.createPending(ARTIFACT_KEY, "left-by-someone", new byte[32], Map.of());
    RotationTests.startWorker(env, worker, testbed);

    RotationTests.start(client, options, RotationTests.emergency("stale", ARTIFACT_KEY));
    RotationStatus waiting;
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "stale").approves(GateName.PROCEED, "bob").start()) {
      waiting = operator.awaitStatus(s -> s.pendingDecision() != null, Duration.ofMinutes(1));
    }
    try (Operator decider = new Operator(client, "stale").decides(ResumeAction.ROLLBACK).start()) {
      end = decider.awaitEnd(Duration.ofMinutes(1));
    }

    assertThat(waiting.pendingDecision().reason())
        .contains("STALE_PENDING")
        .contains("left-by-someone");
    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(testbed.state(ARTIFACT_KEY).version("left-by-someone").orElseThrow().labels())
        .as("nothing is moved off or onto a version a human has not looked at")
        .containsExactly(io.breakglass.activities.secrets.Label.PENDING);
  }

  private static ApplicationFailure failure(WorkflowStub stub) {
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(Object.class));
    return (ApplicationFailure) failed.getCause();
  }

  private static String snapshotPayload(Testbed testbed, long id) {
    return testbed
        .appJdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT payload::text FROM ai_json_snapshots WHERE id = :id")
                    .bind("id", id)
                    .mapTo(String.class)
                    .one());
  }

  /** Replaces the row's envelope with its neighbour's: well-formed, but bound to another row. */
  private static void corrupt(Testbed testbed, long id) {
    testbed
        .appJdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE ai_json_snapshots SET payload = (SELECT payload FROM ai_json_snapshots WHERE id = ?) WHERE id = ?",
                    id + 1,
                    id));
  }
}
