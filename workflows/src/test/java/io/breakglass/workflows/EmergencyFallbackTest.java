package io.breakglass.workflows;

import static io.breakglass.workflows.ScriptedActivities.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.PendingDecision;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.GatePolicy;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The emergency rule, on the workflow logic alone: once a new version is CURRENT, an EMERGENCY
 * rotation never rolls back onto the version it replaces unless a human chooses it with the
 * consequence named; ROUTINE rotations keep their automatic rollback (each such test is the
 * negative control of its emergency twin). Also the gate reminders, the stability wait before the
 * revoke gate, the restart after REVOKE and the check that a revoked version is refused. Time is
 * skipped, so a four-hour gate takes no time.
 */
class EmergencyFallbackTest {

  private static final String QUEUE = "breakglass-rotation";

  private final ScriptedActivities activities = new ScriptedActivities();
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private RotationWorkflow rotation;
  private WorkflowStub stub;

  @BeforeEach
  void startServer() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    io.temporal.client.WorkflowClientOptions.newBuilder()
                        .setDataConverter(BreakglassDataConverter.create())
                        .build())
                .build());
    RotationSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        RotationWorkflowImpl.class, RoutineRotationWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stopServer() {
    TestServers.close(env);
  }

  @Test
  void anEmergencyRevokeGateNobodyAnswers_escalatesAndKeepsWaiting_neverRollingBack() {
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");
    awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.REVOKE);

    env.sleep(Duration.ofHours(6));

    RotationStatus waiting = rotation.status();
    assertThat(waiting.state()).isEqualTo(RotationState.AWAITING_APPROVAL);
    assertThat(waiting.pendingGate().state()).isEqualTo(GateState.OPEN);
    assertThat(activities.noticeEvents())
        .contains("gate-revoke-overdue", "gate-revoke-overdue-reminder-1")
        .doesNotContain("gate-revoke-timed-out");
    assertThat(entries(waiting, TimelineOutcome.ESCALATED))
        .anySatisfy(e -> assertThat(e).contains("stays open until someone decides"));
    assertThat(activities.callsOf("restoreLabels")).isEmpty();

    approve(GateName.REVOKE, "carol");
    assertThat(awaitEnd().state()).isEqualTo(RotationState.COMPLETED);
    assertThat(activities.callsOf("revoke")).containsExactly("revoke v-old");
  }

  @Test
  @Disabled(
      "the time-skipping test server refuses, in about 1 run of 20, the workflow task that takes a"
          + " cancel at an overdue EMERGENCY gate (FAILED_PRECONDITION ACTIVITY_UNKNOWN, or"
          + " INVALID_ARGUMENT invalid history builder state) and then never offers the workflow"
          + " another task; CancellationTest covers a cancel at each gate and while an EMERGENCY"
          + " failure is held for a human")
  void anOverdueEmergencyGate_stillEndsWhenSomeoneCancels_andTheCancelRunsTheCompensations() {
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");
    awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.REVOKE);
    env.sleep(Duration.ofHours(6));

    IdleWorkflow.await(client, stub.getExecution().getWorkflowId());
    stub.cancel();
    // Wait until the workflow has taken the cancel before waiting on the result: the result wait
    // lets the test server skip time, and the compensations may need it (a restart's timers).
    awaitStatus(s -> s.state() == RotationState.COMPENSATING || s.state().terminal());

    assertThat(
            catchThrowableOfType(
                WorkflowFailedException.class,
                () -> stub.getResult(30, TimeUnit.SECONDS, Object.class)))
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(activities.callsOf("restoreLabels")).containsExactly("restoreLabels v-old");
  }

  @Test
  void aRoutineRevokeGateNobodyAnswers_stillRollsBackByItself() {
    start(RotationKind.ROUTINE);
    approve(GateName.PROCEED, "bob");
    awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.REVOKE);

    env.sleep(Duration.ofHours(5));

    assertThat(failureType()).isEqualTo(RotationErrors.GATE_TIMED_OUT.name());
    assertThat(activities.callsOf("restoreLabels")).containsExactly("restoreLabels v-old");
  }

  @Test
  void aGateRemindsItsApprovers_atHalfAndAtNineTenthsOfItsTimeout() {
    start(RotationKind.EMERGENCY);
    awaitStatus(s -> s.pendingGate() != null);

    env.sleep(Duration.ofMinutes(119));
    List<String> beforeHalf = activities.noticeEvents();
    env.sleep(Duration.ofMinutes(2));
    List<String> afterHalf = activities.noticeEvents();
    env.sleep(Duration.ofMinutes(96));

    assertThat(beforeHalf).doesNotContain("gate-proceed-reminder-50");
    assertThat(afterHalf)
        .contains("gate-proceed-reminder-50")
        .doesNotContain("gate-proceed-reminder-90");
    assertThat(activities.noticeEvents()).contains("gate-proceed-reminder-90");
    assertThat(entries(rotation.status(), TimelineOutcome.REMINDED))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e).contains("gate PROCEED").contains("1 more approval"));
  }

  @Test
  void anEmergencySmokeFailureAfterPromote_waitsForAHumanWhoseChoiceNamesTheSuspectedVersion() {
    activities.smokeFailures.set(1);
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");

    PendingDecision decision = awaitDecision();

    assertThat(decision.allowed()).containsExactly(ResumeAction.RETRY, ResumeAction.ROLLBACK);
    assertThat(decision.reason()).contains("the smoke test failed");
    assertThat(decision.consequences().get(ResumeAction.ROLLBACK))
        .startsWith("ROLLBACK onto a version suspected compromised")
        .contains(SECRET + " v-old");
    assertThat(activities.callsOf("restoreLabels")).isEmpty();

    rotation.resume(new Resume("dave", ResumeAction.RETRY, "canary bucket fixed"));
    approve(GateName.REVOKE, "carol");
    assertThat(awaitEnd().state()).isEqualTo(RotationState.COMPLETED);
    assertThat(activities.callsOf("smokeTest"))
        .containsExactly("smokeTest failed", "smokeTest passed");
    assertThat(activities.callsOf("restoreLabels")).isEmpty();
  }

  @Test
  void anEmergencyRollbackChosenKnowingly_runsTheCompensations() {
    activities.smokeFailures.set(1);
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");
    awaitDecision();

    rotation.resume(new Resume("dave", ResumeAction.ROLLBACK, "the new key breaks the app"));

    assertThat(failureType()).isEqualTo(RotationErrors.ROLLED_BACK_BY_OPERATOR.name());
    assertThat(activities.callsOf("restoreLabels")).containsExactly("restoreLabels v-old");
  }

  @Test
  void aRoutineSmokeFailureAfterPromote_stillRollsBackByItself() {
    activities.smokeFailures.set(1);
    start(RotationKind.ROUTINE);
    approve(GateName.PROCEED, "bob");

    assertThat(failureType()).isEqualTo(RotationErrors.SMOKE_TEST_FAILED.name());
    assertThat(activities.callsOf("restoreLabels")).containsExactly("restoreLabels v-old");
  }

  @Test
  void anEmergencyRestartFailureAfterPromote_isHeld_andItsRetryIsANewRollout() {
    activities.failingRestarts = "PROMOTE";
    activities.restartFailures.set(1);
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");

    PendingDecision decision = awaitDecision();
    assertThat(decision.reason()).contains("the restart of backend failed");
    assertThat(activities.callsOf("restoreLabels")).isEmpty();
    rotation.resume(new Resume("dave", ResumeAction.RETRY, "node pool scaled up"));
    approve(GateName.REVOKE, "carol");

    assertThat(awaitEnd().state()).isEqualTo(RotationState.COMPLETED);
    assertThat(activities.callsOf("restart PROMOTE"))
        .containsExactly(
            "restart PROMOTE: new versions primary, old ones decrypt-only",
            "restart PROMOTE: new versions primary, old ones decrypt-only (attempt 2)");
  }

  @Test
  void anEmergencyMetricWatchFailure_isHeldForAHuman() {
    activities.metricWatch = true;
    activities.failedMeasurements.set(1);
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");

    PendingDecision decision = awaitDecision();
    assertThat(decision.reason())
        .contains("the metric watch failed")
        .contains(RotationErrors.METRIC_CHECK_FAILED.name());
    assertThat(activities.callsOf("restoreLabels")).isEmpty();
    rotation.resume(new Resume("dave", ResumeAction.RETRY, "the spike was a deploy elsewhere"));
    approve(GateName.REVOKE, "carol");

    assertThat(awaitEnd().state()).isEqualTo(RotationState.COMPLETED);
  }

  @Test
  void anEmergencyRevokeGateRejection_asksBeforeRollingBackOntoTheSuspectedVersion() {
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");
    awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.REVOKE);
    rotation.decide(new GateDecision(GateName.REVOKE, Verdict.REJECT, "carol", "not yet"));

    PendingDecision decision = awaitDecision();
    assertThat(decision.reason()).contains("the revoke gate failed").contains("rejected by carol");
    assertThat(activities.callsOf("restoreLabels")).isEmpty();
    rotation.resume(new Resume("dave", ResumeAction.RETRY, "ask again tomorrow"));
    approve(GateName.REVOKE, "erin");

    assertThat(awaitEnd().state()).isEqualTo(RotationState.COMPLETED);
  }

  @Test
  void theRevokeGate_opensOnlyOnceTheDeploymentRanStableForOneMonitoringInterval() {
    activities.policy = policyWithMonitoringInterval(Duration.ofHours(2));
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");
    awaitStatus(s -> !entries(s, TimelineOutcome.WAITING).isEmpty());

    env.sleep(Duration.ofMinutes(90));
    RotationStatus stillWaiting = rotation.status();
    env.sleep(Duration.ofMinutes(31));
    RotationStatus open =
        awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.REVOKE);

    assertThat(stillWaiting.pendingGate()).isNull();
    assertThat(entries(stillWaiting, TimelineOutcome.WAITING))
        .singleElement()
        .satisfies(e -> assertThat(e).contains("one monitoring interval (PT2H)"));
    TimelineEntry promoted =
        open.timeline().stream().filter(e -> e.phase() == Phase.PROMOTE).findFirst().orElseThrow();
    assertThat(Duration.between(promoted.endedAt(), open.pendingGate().openedAt()))
        .isGreaterThanOrEqualTo(Duration.ofHours(2));
  }

  @Test
  void withoutAMonitoringInterval_theRevokeGateOpensAtOnce() {
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");

    RotationStatus open =
        awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.REVOKE);

    assertThat(entries(open, TimelineOutcome.WAITING)).isEmpty();
  }

  @Test
  void aFailedRestartAfterRevoke_isRetriedAsANewRollout() {
    PendingDecision decision = failedRestartAfterRevoke();
    assertThat(decision.allowed()).containsExactly(ResumeAction.RETRY, ResumeAction.UNDO_RESTART);
    rotation.resume(new Resume("dave", ResumeAction.RETRY, "quota raised"));

    assertThat(awaitEnd().state()).isEqualTo(RotationState.COMPLETED);
    assertThat(activities.callsOf("restart REVOKE"))
        .containsExactly(
            "restart REVOKE: old versions removed from the keyring",
            "restart REVOKE: old versions removed from the keyring (attempt 2)");
    assertThat(activities.callsOf("undoRestart")).isEmpty();
  }

  @Test
  void aFailedRestartAfterRevoke_canBeUndoneToTheLastGoodRevision() {
    failedRestartAfterRevoke();

    rotation.resume(new Resume("dave", ResumeAction.UNDO_RESTART, "back to the running pods"));

    assertThat(awaitEnd().state()).isEqualTo(RotationState.COMPLETED);
    assertThat(activities.callsOf("undoRestart"))
        .containsExactly("undoRestart REVOKE: old versions removed from the keyring");
    assertThat(activities.callsOf("restoreLabels")).isEmpty();
  }

  @Test
  void aServiceThatStillAcceptsTheRevokedVersion_waitsForAHuman_andRetryChecksAgain() {
    activities.acceptedAfterRevoke.set(1);
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");
    approve(GateName.REVOKE, "carol");

    PendingDecision decision = awaitDecision();
    assertThat(decision.allowed()).containsExactly(ResumeAction.RETRY, ResumeAction.ACCEPT);
    assertThat(decision.reason()).contains("still accepts").contains("revoked jwt session");
    rotation.resume(new Resume("dave", ResumeAction.RETRY, "old pods drained"));

    assertThat(awaitEnd().state()).isEqualTo(RotationState.COMPLETED);
    assertThat(activities.callsOf("refusalCheck"))
        .containsExactly("refusalCheck accepted", "refusalCheck refused");
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** An EMERGENCY rotation on Kubernetes whose first restart after REVOKE fails. */
  private PendingDecision failedRestartAfterRevoke() {
    activities.target = DeploymentTargetType.KUBERNETES;
    activities.failingRestarts = "REVOKE";
    activities.restartFailures.set(1);
    start(RotationKind.EMERGENCY);
    approve(GateName.PROCEED, "bob");
    approve(GateName.REVOKE, "carol");
    return awaitDecision();
  }

  private void start(RotationKind kind) {
    String rotationId = "r-" + kind.name().toLowerCase(Locale.ROOT);
    rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(RotationWorkflow.workflowId(rotationId))
                .build());
    WorkflowClient.start(
        rotation::rotate,
        new RotationRequest(
            rotationId, List.of(SECRET), kind, "alice", "suspected leak", null, null));
    stub = WorkflowStub.fromTyped(rotation);
  }

  private void approve(GateName gate, String approver) {
    awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == gate);
    GateView after = rotation.decide(new GateDecision(gate, Verdict.APPROVE, approver, "checked"));
    assertThat(after.state()).isEqualTo(GateState.APPROVED);
  }

  private RotationStatus awaitStatus(Predicate<RotationStatus> condition) {
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(rotation::status, condition);
  }

  private PendingDecision awaitDecision() {
    return awaitStatus(s -> s.pendingDecision() != null).pendingDecision();
  }

  private RotationStatus awaitEnd() {
    stub.getResult(Object.class);
    return rotation.status();
  }

  private String failureType() {
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(Object.class));
    return ((ApplicationFailure) failed.getCause()).getType();
  }

  private static List<String> entries(RotationStatus status, TimelineOutcome outcome) {
    return status.timeline().stream()
        .filter(e -> e.outcome() == outcome)
        .map(TimelineEntry::detail)
        .toList();
  }

  private static GatePolicy policyWithMonitoringInterval(Duration interval) {
    return new GatePolicy(
        1, Duration.ofHours(4), Duration.ofMinutes(30), Duration.ofHours(1), interval);
  }
}
