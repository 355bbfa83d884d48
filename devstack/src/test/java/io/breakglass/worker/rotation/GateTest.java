package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
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

class GateTest {

  private static final List<String> SECRETS = List.of(ARTIFACT_KEY, PAYLOAD_KEY);

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void aRejectionAtTheProceedGate_endsTheRotationBeforeAnyKeyChanges(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = started(env, worker);
    Map<String, String> before = testbed.plaintextDigests();

    WorkflowStub stub =
        RotationTests.start(
            client, options, RotationTests.emergency("reject-proceed", ARTIFACT_KEY, PAYLOAD_KEY));
    RotationStatus end =
        run(new Operator(client, "reject-proceed").rejects(GateName.PROCEED, "bob"));

    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(failureType(stub)).isEqualTo(RotationErrors.GATE_REJECTED.name());
    assertThat(end.versions()).isEmpty();
    for (String secret : SECRETS) {
      assertThat(testbed.state(secret).version(VersionIds.forRotation("reject-proceed", secret)))
          .isEmpty();
    }
    OldVersions.assertRestored(testbed, "reject-proceed", SECRETS, before);
  }

  @Test
  void aRejectionAtTheRevokeGate_waitsForSomeoneToChooseTheRollback_thenEverythingGoesBack(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = started(env, worker);
    Map<String, String> before = testbed.plaintextDigests();

    WorkflowStub stub =
        RotationTests.start(
            client, options, RotationTests.emergency("reject-revoke", ARTIFACT_KEY, PAYLOAD_KEY));
    RotationStatus end =
        run(
            new Operator(client, "reject-revoke")
                .approves(GateName.PROCEED, "bob")
                .rejects(GateName.REVOKE, "carol")
                .decides(ResumeAction.ROLLBACK));

    Histories.recordIfAsked(client, "reject-revoke", "rejected-at-revoke");
    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(failureType(stub)).isEqualTo(RotationErrors.ROLLED_BACK_BY_OPERATOR.name());
    assertThat(end.failure())
        .contains("rolled back onto a version suspected compromised by olivia, knowingly");
    assertThat(end.timeline())
        .anySatisfy(e -> assertThat(e.detail()).contains("rejected by carol"));
    assertThat(end.gates())
        .extracting(GateView::state)
        .containsExactly(GateState.APPROVED, GateState.REJECTED);
    OldVersions.assertRestored(testbed, "reject-revoke", SECRETS, before);
  }

  @Test
  void theInitiatorsApproval_isRefusedByTheUpdateValidatorAndIgnoredAsASignal(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    started(env, worker);
    RotationTests.start(client, options, RotationTests.emergency("initiator", ARTIFACT_KEY));
    RotationWorkflow rotation =
        client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.workflowId("initiator"));
    try (Operator watcher = new Operator(client, "initiator").start()) {
      watcher.awaitStatus(s -> s.pendingGate() != null, Duration.ofMinutes(1));

      WorkflowUpdateException refused =
          catchThrowableOfType(
              WorkflowUpdateException.class,
              () ->
                  rotation.decide(
                      new GateDecision(
                          GateName.PROCEED, Verdict.APPROVE, "alice", "my own rotation")));
      rotation.approve(new Approval(GateName.PROCEED, "alice", "trying the signal instead"));
      RotationStatus status =
          watcher.awaitStatus(s -> !s.refusals().isEmpty(), Duration.ofMinutes(1));

      assertThat(refusal(refused)).contains("alice started this rotation and cannot approve it");
      assertThat(status.refusals())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.actor()).isEqualTo("alice");
                assertThat(r.signal()).isEqualTo("approve");
              });
      assertThat(status.pendingGate().state()).isEqualTo(GateState.OPEN);
      assertThat(status.pendingGate().approvals()).isEmpty();

      GateView approved =
          rotation.decide(
              new GateDecision(GateName.PROCEED, Verdict.APPROVE, "bob", "verified the ticket"));
      assertThat(approved.state())
          .as("negative control: another person's approval counts")
          .isEqualTo(GateState.APPROVED);
    }
  }

  @Test
  void aRoutineRotation_needsTwoDistinctApprovers_andOnePersonCountsOnce(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    started(env, worker);
    RotationRequest routine =
        new RotationRequest(
            "routine-1",
            List.of(ARTIFACT_KEY),
            RotationKind.ROUTINE,
            "scheduler",
            "due",
            null,
            null);
    RotationTests.start(client, options, routine);
    RotationWorkflow rotation =
        client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.workflowId("routine-1"));
    try (Operator watcher = new Operator(client, "routine-1").start()) {
      watcher.awaitStatus(s -> s.pendingGate() != null, Duration.ofMinutes(1));

      GateView once =
          rotation.decide(new GateDecision(GateName.PROCEED, Verdict.APPROVE, "bob", "ok"));
      WorkflowUpdateException twice =
          catchThrowableOfType(
              WorkflowUpdateException.class,
              () ->
                  rotation.decide(
                      new GateDecision(GateName.PROCEED, Verdict.APPROVE, "bob", "ok again")));
      GateView second =
          rotation.decide(new GateDecision(GateName.PROCEED, Verdict.APPROVE, "carol", "ok"));

      assertThat(once.required()).isEqualTo(2);
      assertThat(once.state()).isEqualTo(GateState.OPEN);
      assertThat(refusal(twice)).contains("one person counts once");
      assertThat(second.state()).isEqualTo(GateState.APPROVED);
    }
  }

  @Test
  void aGateWithoutDecision_timesOut_abortsAndEscalates(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    RecordingNotifications notifications = RotationTests.recording(testbed);
    RotationTests.startWorker(env, worker, testbed, notifications);

    WorkflowStub stub =
        RotationTests.start(client, options, RotationTests.emergency("timeout", ARTIFACT_KEY));
    // Waiting on the result lets the test server skip the four hours the gate waits.
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(Object.class));

    assertThat(((ApplicationFailure) failed.getCause()).getType())
        .isEqualTo(RotationErrors.GATE_TIMED_OUT.name());
    assertThat(notifications.to(Audience.ESCALATION))
        .extracting(n -> n.event())
        .contains("gate-proceed-timed-out");
    assertThat(testbed.current(ARTIFACT_KEY).versionId())
        .isEqualTo(testbed.initialVersion(ARTIFACT_KEY));
  }

  private Testbed started(TestWorkflowEnvironment env, Worker worker) {
    Testbed testbed = new Testbed(root);
    RotationTests.startWorker(env, worker, testbed);
    return testbed;
  }

  private static RotationStatus run(Operator operator) throws Exception {
    try (operator) {
      return operator.start().awaitEnd(Duration.ofMinutes(2));
    }
  }

  /**
   * The validator's reason. The SDK (1.38) reports a validator's ApplicationFailure under a type of
   * its own, keeping the message, so callers read the message.
   */
  private static String refusal(WorkflowUpdateException rejected) {
    assertThat(rejected.getCause()).isInstanceOf(ApplicationFailure.class);
    return ((ApplicationFailure) rejected.getCause()).getOriginalMessage();
  }

  private static String failureType(WorkflowStub stub) {
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(Object.class));
    return ((ApplicationFailure) failed.getCause()).getType();
  }
}
