package io.breakglass.workflows;

import static io.breakglass.workflows.ScriptedActivities.SECRET;
import static io.breakglass.workflows.approval.TestIdentityProvider.AUDIENCE;
import static io.breakglass.workflows.approval.TestIdentityProvider.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.breakglass.workflows.activities.IncidentTrackerActivities.Incident;
import io.breakglass.workflows.activities.MetricWatchActivities.PreflightReport;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.approval.TestApprover;
import io.breakglass.workflows.approval.TestIdentityProvider;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.PreflightView;
import io.breakglass.workflows.messages.queries.Refusal;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.ApprovalPolicy;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.GatePolicy;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pre-flight before the proceed gate, on the workflow logic alone: a firing alert or a
 * Prometheus that does not answer fails it, and the gate then counts only approvals that override
 * it, proven for {@code PROCEED:OVERRIDE}; a plain approval (or its proof) is refused and listed. A
 * passing pre-flight lets a plain approval through and refuses an override (the negative control);
 * without a Prometheus configured the status says so and nothing changes.
 */
@Timeout(90)
class PreflightGateTest {

  private static final String QUEUE = "breakglass-rotation";
  private static final String BURN = "BackendErrorBudgetBurn";

  private final TestIdentityProvider idp = new TestIdentityProvider();
  private final TestApprover bob = TestApprover.create("bob");
  private final TestApprover carol = TestApprover.create("carol");
  private final ScriptedActivities activities = new ScriptedActivities();
  private final ScriptedIdentityProviderKeys keys = new ScriptedIdentityProviderKeys(idp.jwks());
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private RotationWorkflow rotation;
  private WorkflowStub stub;
  private String rotationId;

  @BeforeEach
  void startServer() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(BreakglassDataConverter.create())
                        .build())
                .build());
    RotationSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        RotationWorkflowImpl.class, RoutineRotationWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities, keys);
    env.start();
    client = env.getWorkflowClient();
    activities.policy =
        new GatePolicy(
            1,
            Duration.ofHours(4),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ZERO,
            new ApprovalPolicy(
                false,
                ISSUER,
                AUDIENCE,
                "preferred_username",
                Duration.ofSeconds(30),
                Duration.ofHours(1),
                List.of(
                    TestApprover.create("alice").registered(),
                    bob.registered(),
                    carol.registered())));
    activities.metricWatch = true;
    activities.preflight = true;
  }

  @AfterEach
  void stopServer() {
    TestServers.close(env);
  }

  @Test
  void aFiringAlert_failsThePreflight_aPlainApprovalIsRefused_andTheGateKeepsWaiting() {
    activities.preflightReport = firing();
    start("p-firing", RotationKind.EMERGENCY);
    RotationStatus opened = awaitGate();

    approve(
        new Approval(GateName.PROCEED, "bob", "dashboards look fine to me", proof(bob, plain())));
    WorkflowUpdateException decided =
        catchThrowableOfType(
            WorkflowUpdateException.class,
            () ->
                rotation.decide(
                    new GateDecision(
                        GateName.PROCEED, Verdict.APPROVE, "carol", "go", proof(carol, plain()))));
    RotationStatus refused = awaitStatus(s -> s.refusals().size() >= 1);
    env.sleep(Duration.ofMinutes(10));
    RotationStatus later = rotation.status();

    assertThat(opened.preflight().state()).isEqualTo(PreflightView.State.FAILED);
    assertThat(opened.preflight().firing()).containsExactly(BURN);
    assertThat(entries(opened, TimelineOutcome.FAILED))
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("pre-flight FAILED: firing: " + BURN)
                    .endsWith("gate PROCEED takes only approvals that override it"));
    assertThat(refused.refusals())
        .extracting(Refusal::reason)
        .singleElement()
        .asString()
        .startsWith("the pre-flight failed (firing: " + BURN)
        .contains("a plain approval does not pass gate PROCEED");
    assertThat(((ApplicationFailure) decided.getCause()).getOriginalMessage())
        .startsWith("the pre-flight failed (firing: " + BURN);
    assertThat(later.state()).isEqualTo(RotationState.AWAITING_APPROVAL);
    assertThat(later.pendingGate().state()).isEqualTo(GateState.OPEN);
    assertThat(later.pendingGate().approvals()).isEmpty();
    assertThat(activities.callsOf("createVersion")).as("nothing changed").isEmpty();
  }

  @Test
  void anOverride_passesTheFailedPreflight_onlyWithAProofForTheOverride_andTheRecordSaysWhoAndWhy()
      throws Exception {
    activities.preflightReport = firing();
    start("p-override", RotationKind.EMERGENCY);
    awaitGate();

    // A plain approval's proof replayed as an override is worth nothing, and the other way round.
    approve(
        Approval.overridingPreflight(GateName.PROCEED, "bob", "known burn", proof(bob, plain())));
    approve(new Approval(GateName.PROCEED, "bob", "known burn", proof(bob, override())));
    RotationStatus refused = awaitStatus(s -> s.refusals().size() >= 2);
    approve(
        Approval.overridingPreflight(
            GateName.PROCEED, "bob", "burn is the incident itself", proof(bob, override())));
    RotationStatus passed = awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED);
    awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.REVOKE);
    approve(
        new Approval(
            GateName.REVOKE,
            "carol",
            "stable",
            proof(carol, ProofBinding.gate(rotationId, GateName.REVOKE, Verdict.APPROVE))));
    stub.getResult(60, TimeUnit.SECONDS, Object.class);
    Incident incident = activities.incidents.get(0);

    assertThat(refused.refusals())
        .extracting(Refusal::reason)
        .containsExactly(
            "the proof is refused: the statement is for 'PROCEED:APPROVE', not PROCEED:OVERRIDE",
            refused.refusals().get(1).reason());
    assertThat(refused.refusals().get(1).reason()).startsWith("the pre-flight failed");
    assertThat(passed.preflight().overriddenBy()).containsExactly("bob");
    assertThat(passed.timeline())
        .filteredOn(e -> e.phase() == Phase.GATE_PROCEED && e.outcome() == TimelineOutcome.APPROVED)
        .extracting(e -> e.actor() + ": " + e.detail())
        .containsExactly(
            TimelineEntry.SYSTEM_ACTOR
                + ": approved by bob, overriding the failed pre-flight (firing: "
                + BURN
                + "; Prometheus answered)",
            "bob: overrides the failed pre-flight (firing: "
                + BURN
                + "; Prometheus answered):"
                + " burn is the incident itself [verified: ed25519 bob-2026]");
    assertThat(incident.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(incident.validations())
        .contains(
            "pre-flight overridden by bob: the failed pre-flight (firing: "
                + BURN
                + "; Prometheus answered)");
    assertThat(incident.followUps())
        .contains(
            "follow up on the failed pre-flight (firing: "
                + BURN
                + "; Prometheus answered), overridden by bob");
  }

  @Test
  void aPrometheusThatDoesNotAnswer_failsTheRoutinePreflightToo() {
    activities.preflightReport =
        new PreflightReport(
            false,
            List.of(BURN),
            List.of(),
            List.of(),
            "Prometheus at http://127.0.0.1:9 unreachable");
    start("p-down", RotationKind.ROUTINE);
    awaitGate();

    approve(new Approval(GateName.PROCEED, "bob", "go", proof(bob, plain())));

    RotationStatus refused = awaitStatus(s -> s.refusals().size() >= 1);
    assertThat(refused.preflight().state()).isEqualTo(PreflightView.State.FAILED);
    assertThat(refused.refusals().get(0).reason())
        .startsWith("the pre-flight failed (Prometheus at http://127.0.0.1:9 unreachable)");
    assertThat(refused.pendingGate().approvals()).isEmpty();
  }

  /** The negative control: the same approval that a failed pre-flight refuses counts here. */
  @Test
  void aPassingPreflight_letsAPlainApprovalProceed_andRefusesAnOverrideOfNothing() {
    start("p-clear", RotationKind.EMERGENCY);
    RotationStatus opened = awaitGate();

    approve(
        Approval.overridingPreflight(
            GateName.PROCEED, "bob", "just in case", proof(bob, override())));
    RotationStatus refused = awaitStatus(s -> s.refusals().size() >= 1);
    approve(new Approval(GateName.PROCEED, "bob", "dashboards green", proof(bob, plain())));
    RotationStatus passed = awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED);

    assertThat(opened.preflight().state()).isEqualTo(PreflightView.State.PASSED);
    assertThat(entries(opened, TimelineOutcome.SUCCEEDED))
        .contains("pre-flight PASSED: scripted: no alert firing");
    assertThat(refused.refusals().get(0).reason())
        .isEqualTo(
            "gate PROCEED has no failed pre-flight to override; approve without the override");
    assertThat(passed.preflight().overriddenBy()).isEmpty();
    assertThat(activities.callsOf("preflight")).hasSize(1);
  }

  @Test
  void withoutAPrometheus_thePreflightIsNotConfigured_andAPlainApprovalCounts() {
    activities.metricWatch = false;
    start("p-none", RotationKind.EMERGENCY);
    RotationStatus opened = awaitGate();

    approve(new Approval(GateName.PROCEED, "bob", "ok", proof(bob, plain())));

    awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED);
    assertThat(opened.preflight().state()).isEqualTo(PreflightView.State.NOT_CONFIGURED);
    assertThat(entries(opened, TimelineOutcome.SKIPPED))
        .contains("pre-flight not configured: rotation.metricWatch is not configured");
    assertThat(activities.callsOf("preflight")).isEmpty();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static PreflightReport firing() {
    return new PreflightReport(
        true,
        List.of(BURN, "PhiLeakDetected"),
        List.of(BURN),
        List.of(),
        "firing: " + BURN + "; Prometheus answered");
  }

  private void start(String id, RotationKind kind) {
    rotationId = id;
    rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(RotationWorkflow.workflowId(id))
                .build());
    String proof = idp.token("alice", ProofBinding.start(id), now()).sign();
    WorkflowClient.start(
        rotation::rotate,
        new RotationRequest(
            id, List.of(SECRET), kind, "alice", "suspected leak", null, null, proof, List.of()));
    stub = WorkflowStub.fromTyped(rotation);
  }

  private ProofBinding plain() {
    return ProofBinding.gate(rotationId, GateName.PROCEED, Verdict.APPROVE);
  }

  private ProofBinding override() {
    return ProofBinding.override(rotationId, GateName.PROCEED);
  }

  private String proof(TestApprover approver, ProofBinding binding) {
    return approver.sign(binding, now());
  }

  private void approve(Approval approval) {
    rotation.approve(approval);
  }

  private Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  private RotationStatus awaitGate() {
    return awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == GateName.PROCEED);
  }

  private RotationStatus awaitStatus(Predicate<RotationStatus> condition) {
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptionsInstanceOf(io.temporal.client.WorkflowNotFoundException.class)
        .until(rotation::status, condition);
  }

  private static List<String> entries(RotationStatus status, TimelineOutcome outcome) {
    return status.timeline().stream()
        .filter(e -> e.outcome() == outcome)
        .map(TimelineEntry::detail)
        .toList();
  }
}
