package io.breakglass.workflows;

import static io.breakglass.workflows.ScriptedActivities.SECRET;
import static io.breakglass.workflows.approval.TestIdentityProvider.AUDIENCE;
import static io.breakglass.workflows.approval.TestIdentityProvider.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.approval.TestApprover;
import io.breakglass.workflows.approval.TestIdentityProvider;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RecoveryRequest;
import io.breakglass.workflows.messages.commands.Rejection;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.ApprovalView;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RecoveryStatus;
import io.breakglass.workflows.messages.queries.Refusal;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.ApprovalPolicy;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.GatePolicy;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verifiable approvals on the workflow logic alone, on the time-skipping server: where proofs are
 * required, a start, approval, rejection or decision counts only with a proof the workflow itself
 * verifies (an identity provider's token whose JWKS a scripted activity serves, or a statement
 * signed with a registered Ed25519 key), bound to this rotation, gate and verdict, unexpired, used
 * once. Every forgery is refused and listed; beside each, the valid proof counts.
 */
class VerifiedApprovalsTest {

  private static final String QUEUE = "breakglass-rotation";

  private final TestIdentityProvider idp = new TestIdentityProvider();
  private final TestApprover alice = TestApprover.create("alice");
  private final TestApprover bob = TestApprover.create("bob");
  private final TestApprover carol = TestApprover.create("carol");
  private final ScriptedActivities activities = new ScriptedActivities();
  private final ScriptedIdentityProviderKeys keys = new ScriptedIdentityProviderKeys(idp.jwks());
  private final ScriptedRecovery recovery =
      new ScriptedRecovery(() -> activities.policy, this::now);
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
        RotationWorkflowImpl.class,
        RoutineRotationWorkflowImpl.class,
        RevokeRecoveryWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities, keys, recovery);
    env.start();
    client = env.getWorkflowClient();
    requireProofs(1);
  }

  @AfterEach
  void stopServer() {
    TestServers.close(env);
  }

  // ---- the initiator, at PLAN -----------------------------------------------------------------

  @Test
  void
      aStartWithoutAProof_orWithAProofForAnotherRotationOrPerson_failsAtPlanAsUnverifiedInitiator() {
    start("r-none", "alice", null);
    String none = failureMessage(RotationErrors.UNVERIFIED_INITIATOR);
    start("r-other", "alice", idp.token("alice", ProofBinding.start("r-elsewhere"), now()).sign());
    String other = failureMessage(RotationErrors.UNVERIFIED_INITIATOR);
    start(
        "r-gate",
        "alice",
        alice.sign(ProofBinding.gate("r-gate", GateName.PROCEED, Verdict.APPROVE), now()));
    String gate = failureMessage(RotationErrors.UNVERIFIED_INITIATOR);
    start("r-bob", "alice", bob.sign(ProofBinding.start("r-bob"), now()));
    String someoneElse = failureMessage(RotationErrors.UNVERIFIED_INITIATOR);

    assertThat(none).contains("initiator alice is not verified: a proof is required");
    assertThat(other).contains("nonce is not the one for START of rotation r-other");
    assertThat(gate).contains("is for 'PROCEED:APPROVE', not START");
    assertThat(someoneElse).contains("the proof speaks for bob, not alice");
    assertThat(activities.callsOf("createVersion")).as("nothing changed").isEmpty();
  }

  @Test
  void aProvenInitiator_reachesTheGate_andTheStatusSaysHowSheWasVerified() {
    startProven("r-ok");

    RotationStatus status = awaitGate(GateName.PROCEED);

    assertThat(status.initiatorVerification()).isEqualTo("verified: oidc " + ISSUER);
    assertThat(status.timeline())
        .filteredOn(e -> e.outcome() == TimelineOutcome.SUCCEEDED && e.detail() != null)
        .anySatisfy(
            e -> assertThat(e.detail()).endsWith("initiator alice verified: oidc " + ISSUER));
    // The gate's fetch may still be in flight when the status first shows the gate open.
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(keys.fetches.get())
                    .as("once at PLAN for the initiator's token, once as the gate opened")
                    .isEqualTo(2));
  }

  @Test
  void theRoutineSchedule_startsItsRotationWithoutAProof_aClientNamingTheSchedulerCannot() {
    start("r-posing", RoutineRotationWorkflow.SCHEDULER, null, RotationKind.ROUTINE);
    String posing = failureMessage(RotationErrors.UNVERIFIED_INITIATOR);
    RoutineRotationWorkflow timer =
        client.newWorkflowStub(
            RoutineRotationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(RoutineRotationWorkflow.workflowId(SECRET))
                .build());
    Instant due = now();
    WorkflowClient.start(timer::run, new RoutineSchedule(SECRET, due, null));
    rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            RotationWorkflow.workflowId(RoutineRotationWorkflowImpl.rotationId(SECRET, due)));

    RotationStatus status = awaitGate(GateName.PROCEED);

    assertThat(posing)
        .contains("initiator breakglass-scheduler is not verified: a proof is required");
    assertThat(status.initiator()).isEqualTo(RoutineRotationWorkflow.SCHEDULER);
    assertThat(status.initiatorVerification())
        .isEqualTo(
            "verified: started by its routine schedule "
                + RoutineRotationWorkflow.workflowId(SECRET));
  }

  // ---- forged names ---------------------------------------------------------------------------

  @Test
  void anApprovalWithoutAProof_orWithSomeoneElsesProof_isRefused_theProvenOneCounts() {
    startProven("r-forged");
    awaitGate(GateName.PROCEED);

    approve(GateName.PROCEED, "bob", null);
    approve(GateName.PROCEED, "carol", bob.sign(binding(GateName.PROCEED, Verdict.APPROVE), now()));
    approve(
        GateName.PROCEED,
        "carol",
        idp.token("bob", binding(GateName.PROCEED, Verdict.APPROVE), now()).sign());
    RotationStatus refused = awaitRefusals(3);

    assertThat(refused.pendingGate().approvals()).isEmpty();
    assertThat(reasons(refused))
        .containsExactly(
            "a proof is required: an identity provider's token or a statement signed with `breakglass"
                + " approval sign` (unsigned decisions count only where approvals.allowUnsigned is true)",
            "the proof speaks for bob, not carol",
            "the proof speaks for bob, not carol");

    approve(GateName.PROCEED, "bob", bob.sign(binding(GateName.PROCEED, Verdict.APPROVE), now()));
    GateView proceed =
        awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED).gates().get(0);

    assertThat(proceed.approvals())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.approver()).isEqualTo("bob");
              assertThat(a.verified()).isTrue();
              assertThat(a.verification()).isEqualTo("ed25519 bob-2026");
            });
    assertThat(approvedEntries(rotation.status()))
        .containsExactly("bob: checked [verified: ed25519 bob-2026]");
  }

  @Test
  void aProofWithoutAName_speaksForItsOwnSubject() {
    startProven("r-unnamed");
    awaitGate(GateName.PROCEED);

    approve(
        GateName.PROCEED,
        null,
        idp.token("carol", binding(GateName.PROCEED, Verdict.APPROVE), now()).es256().sign());

    GateView proceed =
        awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED).gates().get(0);
    assertThat(proceed.approvals())
        .extracting(ApprovalView::approver, ApprovalView::verification)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("carol", "oidc " + ISSUER));
  }

  // ---- bound to rotation, gate and verdict -----------------------------------------------------

  @Test
  void aProofForAnotherRotationGateOrVerdict_isRefused_theOneForThisGateCounts() {
    startProven("r-bound");
    awaitGate(GateName.PROCEED);

    approve(
        GateName.PROCEED,
        "bob",
        idp.token("bob", ProofBinding.gate("r-other", GateName.PROCEED, Verdict.APPROVE), now())
            .sign());
    approve(
        GateName.PROCEED,
        "bob",
        idp.token("bob", binding(GateName.REVOKE, Verdict.APPROVE), now()).sign());
    approve(GateName.PROCEED, "bob", bob.sign(binding(GateName.PROCEED, Verdict.REJECT), now()));
    rotation.reject(
        new Rejection(
            GateName.PROCEED,
            "bob",
            "no",
            bob.sign(binding(GateName.PROCEED, Verdict.APPROVE), now())));
    approve(GateName.PROCEED, "bob", bob.sign(ProofBinding.start("r-bound"), now()));
    RotationStatus refused = awaitRefusals(5);

    assertThat(reasons(refused))
        .containsExactly(
            "the proof is refused: the token's nonce is not the one for PROCEED:APPROVE of rotation r-bound:"
                + " it was made for another rotation, gate or verdict",
            "the proof is refused: the token's nonce is not the one for PROCEED:APPROVE of rotation r-bound:"
                + " it was made for another rotation, gate or verdict",
            "the proof is refused: the statement is for 'PROCEED:REJECT', not PROCEED:APPROVE",
            "the proof is refused: the statement is for 'PROCEED:APPROVE', not PROCEED:REJECT",
            "the proof is refused: the statement is for 'START', not PROCEED:APPROVE");
    assertThat(refused.pendingGate().state()).isEqualTo(GateState.OPEN);

    approve(
        GateName.PROCEED,
        "bob",
        idp.token("bob", binding(GateName.PROCEED, Verdict.APPROVE), now()).sign());
    assertThat(
            awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED)
                .gates()
                .get(0)
                .approvals())
        .extracting(ApprovalView::approver)
        .containsExactly("bob");
  }

  @Test
  void aStatementApprovingProceed_isRefusedAtTheRevokeGate() {
    startProven("r-next");
    awaitGate(GateName.PROCEED);
    String proceed = bob.sign(binding(GateName.PROCEED, Verdict.APPROVE), now());
    approve(GateName.PROCEED, "bob", proceed);
    awaitGate(GateName.REVOKE);

    approve(GateName.REVOKE, "bob", proceed);
    RotationStatus refused = awaitRefusals(1);

    assertThat(reasons(refused))
        .containsExactly(
            "the proof is refused: the statement is for 'PROCEED:APPROVE', not REVOKE:APPROVE");
    approve(GateName.REVOKE, "carol", carol.sign(binding(GateName.REVOKE, Verdict.APPROVE), now()));
    assertThat(awaitEnd().state()).isEqualTo(RotationState.COMPLETED);
  }

  // ---- expiry, issuer, audience, signature, alg, kid ------------------------------------------

  @Test
  void anExpiredStatementOrToken_isRefused_aFreshOneCounts() {
    startProven("r-expired");
    awaitGate(GateName.PROCEED);
    Instant signed = now();
    String statement =
        bob.sign(
            binding(GateName.PROCEED, Verdict.APPROVE), signed, signed.plus(Duration.ofMinutes(5)));
    String token = idp.token("carol", binding(GateName.PROCEED, Verdict.APPROVE), signed).sign();

    env.sleep(Duration.ofMinutes(11));
    approve(GateName.PROCEED, "bob", statement);
    approve(GateName.PROCEED, "carol", token);
    RotationStatus refused = awaitRefusals(2);

    assertThat(reasons(refused))
        .satisfiesExactly(
            r -> assertThat(r).startsWith("the proof is refused: the statement expired at"),
            r -> assertThat(r).startsWith("the proof is refused: the token expired at"));
    approve(GateName.PROCEED, "bob", bob.sign(binding(GateName.PROCEED, Verdict.APPROVE), now()));
    awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED);
  }

  @Test
  void wrongIssuerWrongAudienceBadSignatureAlgNoneAndUnknownKid_areEachRefused() {
    startProven("r-tokens");
    awaitGate(GateName.PROCEED);
    ProofBinding proceed = binding(GateName.PROCEED, Verdict.APPROVE);
    int fetchesAtGate = keys.fetches.get();

    approve(
        GateName.PROCEED,
        "bob",
        idp.token("bob", proceed, now()).claim("iss", "https://evil.test").sign());
    approve(
        GateName.PROCEED,
        "bob",
        idp.token("bob", proceed, now()).claim("aud", "another-app").sign());
    approve(
        GateName.PROCEED,
        "bob",
        idp.token("bob", proceed, now())
            .signedBy(TestIdentityProvider.generate("RSA", 2048))
            .sign());
    String claims = idp.token("bob", proceed, now()).sign().split("\\.")[1];
    approve(
        GateName.PROCEED,
        "bob",
        TestIdentityProvider.unsigned(
                "{\"alg\":\"none\",\"kid\":\"" + idp.rsaKid() + "\"}", "{}", new byte[1])
            .replaceFirst("\\.[^.]+\\.", "." + claims + "."));
    for (int i = 0; i < 4; i++) {
      approve(
          GateName.PROCEED,
          "bob",
          idp.token("bob", proceed, now()).header("kid", "made-up-" + i).sign());
    }
    RotationStatus refused = awaitRefusals(8);

    assertThat(reasons(refused))
        .satisfiesExactly(
            r ->
                assertThat(r)
                    .contains(
                        "issuer 'https://evil.test' is neither the configured identity provider"),
            r -> assertThat(r).contains("not for the audience " + AUDIENCE),
            r -> assertThat(r).contains("signature does not verify"),
            r -> assertThat(r).contains("alg 'none' is not accepted"),
            r -> assertThat(r).contains("no key 'made-up-"),
            r -> assertThat(r).contains("no key 'made-up-"),
            r -> assertThat(r).contains("no key 'made-up-"),
            r -> assertThat(r).contains("no key 'made-up-"));
    assertThat(keys.fetches.get() - fetchesAtGate)
        .as("made-up key ids fetch again at most twice per gate")
        .isEqualTo(2);
    assertThat(refused.pendingGate().approvals()).isEmpty();

    approve(GateName.PROCEED, "bob", idp.token("bob", proceed, now()).sign());
    awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED);
  }

  @Test
  void aKeyTheProviderRotatedInAfterTheGateOpened_countsAfterOneMoreFetch() {
    startProven("r-rotated");
    awaitGate(GateName.PROCEED);
    TestIdentityProvider rotated = new TestIdentityProvider("k2");
    keys.published = TestIdentityProvider.both(idp.jwks(), rotated.jwks());

    approve(
        GateName.PROCEED,
        "bob",
        rotated.token("bob", binding(GateName.PROCEED, Verdict.APPROVE), now()).sign());

    GateView proceed =
        awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED).gates().get(0);
    assertThat(proceed.approvals()).extracting(ApprovalView::approver).containsExactly("bob");
    assertThat(keys.fetches.get()).isEqualTo(3);
  }

  // ---- one proof counts once ------------------------------------------------------------------

  @Test
  void aStatementSentTwice_countsOnce() {
    requireProofs(2);
    startProven("r-twice");
    awaitGate(GateName.PROCEED);
    String statement = bob.sign(binding(GateName.PROCEED, Verdict.APPROVE), now());

    approve(GateName.PROCEED, "bob", statement);
    approve(GateName.PROCEED, "bob", statement);
    approve(
        GateName.PROCEED,
        "bob",
        bob.sign(binding(GateName.PROCEED, Verdict.APPROVE), now().plusSeconds(1)));
    RotationStatus refused = awaitRefusals(2);

    assertThat(reasons(refused))
        .containsExactly(
            "this proof has counted before; one proof counts once: make a new one",
            "bob already approved gate PROCEED; one person counts once");
    assertThat(refused.pendingGate().approvals()).hasSize(1);
    approve(
        GateName.PROCEED, "carol", carol.sign(binding(GateName.PROCEED, Verdict.APPROVE), now()));
    awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED);
  }

  // ---- names compared after normalisation -----------------------------------------------------

  @Test
  void theInitiator_cannotApproveUnderACaseWidthOrSpaceVariantOfHerName_bobCan() {
    allowUnsigned();
    start("r-variants", "Alice", null);
    awaitGate(GateName.PROCEED);

    for (String variant : List.of("alice", " Alice ", "ALICE", "ａｌｉｃｅ")) {
      approve(GateName.PROCEED, variant, null);
    }
    RotationStatus refused = awaitRefusals(4);

    assertThat(reasons(refused))
        .allSatisfy(
            r ->
                assertThat(r)
                    .endsWith("started this rotation and cannot approve it (two-person rule)"));
    assertThat(refused.pendingGate().approvals()).isEmpty();
    approve(GateName.PROCEED, "bob", null);
    GateView proceed =
        awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED).gates().get(0);
    assertThat(proceed.approvals())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.verified()).isFalse();
              assertThat(a.verification()).isEqualTo("unverified (allowUnsigned)");
            });
    assertThat(rotation.status().initiatorVerification()).isEqualTo("unverified (allowUnsigned)");
  }

  @Test
  void aProvenInitiator_cannotApproveWithHerOwnStatement() {
    startProven("r-self");
    awaitGate(GateName.PROCEED);

    approve(
        GateName.PROCEED, "ALICE", alice.sign(binding(GateName.PROCEED, Verdict.APPROVE), now()));

    assertThat(reasons(awaitRefusals(1)))
        .containsExactly("alice started this rotation and cannot approve it (two-person rule)");
  }

  @Test
  void anUnsignedApproval_countsOnlyWhereAllowed_andABadProofIsRefusedEvenThere() {
    allowUnsigned();
    start("r-dev", "alice", null);
    awaitGate(GateName.PROCEED);

    approve(GateName.PROCEED, "carol", bob.sign(binding(GateName.PROCEED, Verdict.APPROVE), now()));
    assertThat(reasons(awaitRefusals(1))).containsExactly("the proof speaks for bob, not carol");
    approve(GateName.PROCEED, "bob", null);
    awaitStatus(s -> s.gates().get(0).state() == GateState.APPROVED);
  }

  // ---- the decide update ----------------------------------------------------------------------

  @Test
  void theDecideValidator_refusesAnUnprovenDecisionSynchronously_aProvenOneIsApplied() {
    startProven("r-decide");
    awaitGate(GateName.PROCEED);

    WorkflowUpdateException refused =
        catchThrowableOfType(
            WorkflowUpdateException.class,
            () ->
                rotation.decide(new GateDecision(GateName.PROCEED, Verdict.APPROVE, "bob", "ok")));
    WorkflowUpdateException forged =
        catchThrowableOfType(
            WorkflowUpdateException.class,
            () ->
                rotation.decide(
                    new GateDecision(
                        GateName.PROCEED,
                        Verdict.APPROVE,
                        "carol",
                        "ok",
                        bob.sign(binding(GateName.PROCEED, Verdict.APPROVE), now()))));
    GateView applied =
        rotation.decide(
            new GateDecision(
                GateName.PROCEED,
                Verdict.APPROVE,
                "bob",
                "ok",
                bob.sign(binding(GateName.PROCEED, Verdict.APPROVE), now())));

    assertThat(validatorMessage(refused)).startsWith("a proof is required");
    assertThat(validatorMessage(forged)).isEqualTo("the proof speaks for bob, not carol");
    assertThat(applied.state()).isEqualTo(GateState.APPROVED);
    assertThat(applied.approvals().get(0).verification()).isEqualTo("ed25519 bob-2026");
  }

  @Test
  void aDecisionWithATokenOfARotatedInKey_passesTheValidator_andIsJudgedAfterTheFetch() {
    startProven("r-decide-rotated");
    awaitGate(GateName.PROCEED);
    TestIdentityProvider rotated = new TestIdentityProvider("k2");
    keys.published = rotated.jwks();

    GateView applied =
        rotation.decide(
            new GateDecision(
                GateName.PROCEED,
                Verdict.REJECT,
                "carol",
                "wrong secret",
                rotated.token("carol", binding(GateName.PROCEED, Verdict.REJECT), now()).sign()));

    assertThat(applied.state()).isEqualTo(GateState.REJECTED);
    assertThat(failureType()).isEqualTo(RotationErrors.GATE_REJECTED.name());
    assertThat(rotation.status().timeline())
        .filteredOn(e -> e.outcome() == TimelineOutcome.REJECTED)
        .extracting(TimelineEntry::detail)
        .contains("wrong secret [verified: oidc " + ISSUER + "]");
  }

  // ---- the way back after REVOKE --------------------------------------------------------------

  @Test
  void anUnrevoke_needsAProvenInitiator_andItsGateRefusesTheRotationsRevokeApproval() {
    RevokeRecoveryWorkflow unsigned = startRecovery("r-back", null);
    String unverified = recoveryFailure(unsigned);

    RevokeRecoveryWorkflow back =
        startRecovery("r-back2", alice.sign(ProofBinding.unrevoke("r-back2"), now()));
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> back.status().gate() != null);
    back.approve(
        new Approval(
            GateName.REVOKE,
            "bob",
            "ok",
            bob.sign(ProofBinding.gate("r-back2", GateName.REVOKE, Verdict.APPROVE), now())));
    back.approve(
        new Approval(
            GateName.REVOKE,
            "alice",
            "mine",
            alice.sign(ProofBinding.unrevokeGate("r-back2", Verdict.APPROVE), now())));
    RecoveryStatus refused =
        await()
            .dontCatchUncaughtExceptions()
            .atMost(Duration.ofSeconds(20))
            .until(back::status, s -> s.refusals().size() == 2);
    back.approve(
        new Approval(
            GateName.REVOKE,
            "bob",
            "ok",
            bob.sign(ProofBinding.unrevokeGate("r-back2", Verdict.APPROVE), now())));
    WorkflowStub.fromTyped(back).getResult(Object.class);

    assertThat(unverified)
        .contains("initiator alice of the un-revoke is not verified: a proof is required");
    assertThat(refused.initiatorVerification()).isEqualTo("verified: ed25519 alice-2026");
    assertThat(refused.refusals())
        .extracting(Refusal::reason)
        .containsExactly(
            "the proof is refused: the statement is for 'REVOKE:APPROVE', not UNREVOKE:APPROVE",
            "alice asked for this un-revoke and cannot approve it (two-person rule)");
    assertThat(back.status().gate().approvals())
        .extracting(ApprovalView::approver, ApprovalView::verification)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("bob", "ed25519 bob-2026"));
    assertThat(activities.callsOf("unrevoke")).containsExactly("unrevoke v-old");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private void requireProofs(int approvals) {
    activities.policy = policy(approvals, false);
  }

  private void allowUnsigned() {
    activities.policy = policy(1, true);
  }

  private GatePolicy policy(int approvals, boolean allowUnsigned) {
    return new GatePolicy(
        approvals,
        Duration.ofHours(4),
        Duration.ofMinutes(30),
        Duration.ofHours(1),
        Duration.ZERO,
        new ApprovalPolicy(
            allowUnsigned,
            ISSUER,
            AUDIENCE,
            "preferred_username",
            Duration.ofSeconds(30),
            Duration.ofHours(1),
            List.of(alice.registered(), bob.registered(), carol.registered())));
  }

  private Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  private ProofBinding binding(GateName gate, Verdict verdict) {
    return ProofBinding.gate(rotationId, gate, verdict);
  }

  /** Starts rotation {@code id} as alice, proven by her identity provider's token. */
  private void startProven(String id) {
    start(id, "alice", idp.token("alice", ProofBinding.start(id), now()).sign());
  }

  private void start(String id, String initiator, String proof) {
    start(id, initiator, proof, RotationKind.EMERGENCY);
  }

  private void start(String id, String initiator, String proof, RotationKind kind) {
    rotationId = id;
    rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(RotationWorkflow.workflowId(id))
                .build());
    WorkflowClient.start(
        rotation::rotate,
        new RotationRequest(
            id, List.of(SECRET), kind, initiator, "suspected leak", null, null, proof, List.of()));
    stub = WorkflowStub.fromTyped(rotation);
  }

  private RevokeRecoveryWorkflow startRecovery(String id, String proof) {
    RevokeRecoveryWorkflow back =
        client.newWorkflowStub(
            RevokeRecoveryWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(RevokeRecoveryWorkflow.workflowId(id))
                .build());
    WorkflowClient.start(
        back::recover, new RecoveryRequest(id, SECRET, "alice", "offline export", proof));
    return back;
  }

  private void approve(GateName gate, String approver, String proof) {
    rotation.approve(new Approval(gate, approver, "checked", proof));
  }

  private RotationStatus awaitGate(GateName gate) {
    return awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == gate);
  }

  private RotationStatus awaitRefusals(int count) {
    return awaitStatus(s -> s.refusals().size() >= count);
  }

  private RotationStatus awaitStatus(Predicate<RotationStatus> condition) {
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptionsInstanceOf(io.temporal.client.WorkflowNotFoundException.class)
        .until(rotation::status, condition);
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

  private String failureMessage(RotationErrors expected) {
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(Object.class));
    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(expected.name());
    return failure.getOriginalMessage();
  }

  private static String recoveryFailure(RevokeRecoveryWorkflow back) {
    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(back).getResult(Object.class));
    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(RotationErrors.UNVERIFIED_INITIATOR.name());
    return failure.getOriginalMessage();
  }

  private static List<String> reasons(RotationStatus status) {
    return status.refusals().stream().map(Refusal::reason).toList();
  }

  private static List<String> approvedEntries(RotationStatus status) {
    return status.timeline().stream()
        .filter(
            e ->
                e.outcome() == TimelineOutcome.APPROVED
                    && !e.actor().equals(TimelineEntry.SYSTEM_ACTOR))
        .map(e -> e.actor() + ": " + e.detail())
        .toList();
  }

  private static String validatorMessage(WorkflowUpdateException refused) {
    assertThat(refused.getCause()).isInstanceOf(ApplicationFailure.class);
    return ((ApplicationFailure) refused.getCause()).getOriginalMessage();
  }
}
