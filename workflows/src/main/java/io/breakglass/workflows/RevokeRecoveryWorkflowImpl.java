package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.DeploymentActivities.DeploymentRequest;
import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Severity;
import io.breakglass.workflows.activities.SecretActivities.VersionRequest;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RecoveryRequest;
import io.breakglass.workflows.messages.commands.Rejection;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RecoveryResult;
import io.breakglass.workflows.messages.queries.RecoveryStatus;
import io.breakglass.workflows.messages.values.DeploymentPlan;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.GatePolicy;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RecoveryPlan;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationPlan;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RevokeRecoveryWorkflow}: check, gate, un-revoke. It reuses the rotation's parts (the
 * timeline, notices, escalations, restarts, the two-person gate) on a context that carries the
 * rotation's id, so its entries, notices and restarts belong to that rotation. Deterministic.
 */
public class RevokeRecoveryWorkflowImpl implements RevokeRecoveryWorkflow {

  private static final String NO_PREFLIGHT =
      "an un-revoke has no pre-flight to override; approve without overridePreflight";

  private final RecoveryRequest request;
  private final RotationContext rotation;
  private final Notices notices;
  private final Escalations escalations;
  private final Restarts restarts;
  private final SecretLock lock;
  private final List<String> restarted = new ArrayList<>();
  private RecoveryPlan plan;
  private ApprovalGate gate;

  /** Prefix of this run's notice events; unique per run, as receivers drop repeated keys. */
  private String events;

  private RotationState endState;
  private String failure;

  @WorkflowInit
  public RevokeRecoveryWorkflowImpl(RecoveryRequest request) {
    this.request = request;
    boolean given = request != null;
    rotation =
        new RotationContext(
            new RotationRequest(
                given ? request.rotationId() : null,
                given && request.secret() != null ? List.of(request.secret()) : List.of(),
                null,
                given ? request.initiator() : null,
                given ? request.reason() : null,
                null,
                null));
    // Everything before the un-revoke itself belongs to its gate, early refusals included.
    rotation.phase = Phase.GATE_REVOKE;
    LogContext.rotation(rotation.rotationId(), () -> rotation.phase);
    notices = new Notices(rotation);
    escalations = new Escalations(rotation, notices);
    restarts = new Restarts(rotation);
    lock = new SecretLock(rotation);
  }

  @Override
  public RecoveryResult recover(RecoveryRequest ignored) {
    try {
      RecoveryRules.check(request, Workflow.getInfo().getWorkflowId());
      plan = rotation.activities.recovery.planRecovery(request);
      if (!RotationContext.now().isBefore(plan.windowClosesAt())) {
        throw RotationErrors.RECOVERY_WINDOW_CLOSED.failure(
            "rotation "
                + plan.rotationId()
                + " revoked "
                + version()
                + " at "
                + plan.revokedAt()
                + "; the way back closed "
                + plan.window()
                + " later, at "
                + plan.windowClosesAt());
      }
      rotation.plan =
          new RotationPlan(List.of(), List.of(), plan.deployments(), plan.policy(), null, null);
      rotation.initiator = verifiedInitiator();
    } catch (TemporalFailure refused) {
      // Refused before anything was recorded: the rotation's timeline stays as it is.
      throw end(refused);
    }
    rotation.timeline.continueAfter(plan.lastStoredSeq());
    events = "unrevoke-" + (plan.lastStoredSeq() + 1);
    try {
      passGate();
      // A rotation of the same secret running meanwhile would undo the keyring entry and labels.
      lock.acquire();
      unrevoke();
    } catch (TemporalFailure failed) {
      Workflow.newDetachedCancellationScope(lock::release).run();
      rotation.event(
          TimelineOutcome.FAILED,
          SYSTEM_ACTOR,
          "un-revoke of " + version() + " ended: " + Failures.describe(failed));
      rotation.saveTimeline();
      notices.send(
          events + "-failed",
          List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER),
          Severity.WARNING,
          "un-revoke of "
              + version()
              + " (rotation "
              + plan.rotationId()
              + ") ended: "
              + Failures.describe(failed));
      throw end(failed);
    }
    lock.release();
    endState = RotationState.COMPLETED;
    Workflow.await(Workflow::isEveryHandlerFinished);
    return new RecoveryResult(
        plan.rotationId(),
        plan.secret(),
        plan.versionId(),
        approvers(),
        List.copyOf(restarted),
        rotation.timeline.entries());
  }

  /**
   * The initiator, proven by the request's {@code initiatorProof} for the rotation's UNREVOKE where
   * the policy asks for proofs; throws {@code UNVERIFIED_INITIATOR} otherwise.
   */
  private Identity verifiedInitiator() {
    Judgement judgement =
        rotation.proofs.identifyFetching(
            ProofBinding.unrevoke(request.rotationId()),
            request.initiator(),
            request.initiatorProof());
    if (judgement.isRefused()) {
      throw RotationErrors.UNVERIFIED_INITIATOR.failure(
          "initiator "
              + request.initiator()
              + " of the un-revoke is not verified: "
              + judgement.refusal());
    }
    rotation.proofs.spend(judgement.identity());
    return judgement.identity();
  }

  /** Opens the gate and returns once approved; throws when rejected, timed out or too late. */
  private void passGate() {
    GatePolicy policy = plan.policy();
    Instant opened = RotationContext.now();
    Instant timeoutAt = opened.plus(policy.gateTimeout());
    // The window bounds the wait: an approval after it closes would bring the version back too
    // late.
    boolean windowFirst = plan.windowClosesAt().isBefore(timeoutAt);
    Instant deadline = windowFirst ? plan.windowClosesAt() : timeoutAt;
    int required = policy.requiredApprovals();
    String initiator = request.initiator();
    // Each detail of the gate's entry keeps who asked and why: the end replaces the start's.
    String asked =
        "un-revoke of "
            + version()
            + " asked by "
            + initiator
            + ": "
            + request.reason()
            + " ["
            + rotation.initiator.how()
            + "]";
    int seq =
        rotation.timeline.start(
            Phase.GATE_REVOKE,
            asked
                + "; waiting for "
                + required
                + " approval(s) from people other than "
                + initiator
                + " until "
                + deadline);
    gate =
        new ApprovalGate(
            GateName.REVOKE,
            required,
            rotation.initiator,
            "asked for this un-revoke",
            opened,
            deadline);
    rotation.proofs.gateOpened();
    rotation.saveTimeline();
    notices.send(
        events + "-requested",
        List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER),
        Severity.WARNING,
        "un-revoke of "
            + version()
            + " (rotation "
            + plan.rotationId()
            + ") asked by "
            + initiator
            + ": "
            + request.reason()
            + "; waits for "
            + required
            + " approval(s) from people other than "
            + initiator
            + " until "
            + deadline);
    boolean decided = Workflow.await(Duration.between(opened, deadline), () -> !gate.isOpen());
    if (!decided) {
      gate.timeOut();
      String why =
          windowFirst
              ? "the way back closed at " + deadline + " before the approvals came"
              : "no decision within " + policy.gateTimeout();
      rotation.timeline.end(
          seq, TimelineOutcome.TIMED_OUT, asked + "; " + why + "; the version stays revoked");
      rotation.saveTimeline();
      throw (windowFirst ? RotationErrors.RECOVERY_WINDOW_CLOSED : RotationErrors.GATE_TIMED_OUT)
          .failure("un-revoke of " + version() + ": " + why);
    }
    GateView view = gate.view();
    if (!gate.isApproved()) {
      rotation.timeline.end(
          seq,
          TimelineOutcome.REJECTED,
          asked
              + "; rejected by "
              + view.decidedBy()
              + ": "
              + view.reason()
              + "; the version stays revoked");
      rotation.saveTimeline();
      throw RotationErrors.GATE_REJECTED.failure(
          "un-revoke of " + version() + " rejected by " + view.decidedBy() + ": " + view.reason());
    }
    rotation.timeline.end(
        seq, TimelineOutcome.APPROVED, asked + "; approved by " + String.join(", ", approvers()));
    rotation.saveTimeline();
  }

  /** The store first, then each deployment's keyring and restart; a failed step asks a human. */
  private void unrevoke() {
    rotation.phase = Phase.REVOKE;
    int seq = rotation.timeline.start(Phase.REVOKE, "un-revoke of " + version());
    rotation.saveTimeline();
    VersionRequest version = new VersionRequest(plan.rotationId(), plan.secret(), plan.versionId());
    untilRetried(() -> rotation.activities.secrets.unrevoke(version));
    rotation.event(
        TimelineOutcome.SUCCEEDED,
        SYSTEM_ACTOR,
        version() + " is ACTIVE again in the secret store, to decrypt only (never CURRENT)");
    rotation.saveTimeline();
    for (DeploymentPlan deployment : plan.deployments()) {
      if (deployment.target() == DeploymentTargetType.NONE) {
        rotation.event(
            TimelineOutcome.SKIPPED,
            SYSTEM_ACTOR,
            deployment.name() + ": target none, nothing to roll out");
        continue;
      }
      int[] attempt = {0};
      untilRetried(
          () -> {
            attempt[0]++;
            KeyringSpec keyring =
                rotation.activities.deployments.readKeyring(
                    new DeploymentRequest(plan.rotationId(), deployment.name()));
            rotation.activities.deployments.publishKeyring(
                Keyrings.decryptOnlyAgain(keyring, plan.secret(), plan.versionId()));
            // A reason of its own per attempt: a retried restart is a new rollout.
            restarts.restart(
                deployment,
                "UN-REVOKE: "
                    + version()
                    + " decrypt-only again"
                    + (attempt[0] > 1 ? " (attempt " + attempt[0] + ")" : ""));
          });
      restarted.add(deployment.name());
      rotation.event(
          TimelineOutcome.SUCCEEDED,
          SYSTEM_ACTOR,
          deployment.name() + ": " + version() + " decrypt-only in its keyring again, restarted");
      rotation.saveTimeline();
    }
    rotation.timeline.end(
        seq,
        TimelineOutcome.SUCCEEDED,
        version()
            + " usable again to decrypt, in the secret store and "
            + restarted.size()
            + " deployment(s)");
    rotation.saveTimeline();
    notices.send(
        events + "-completed",
        List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER),
        Severity.WARNING,
        "un-revoke of "
            + version()
            + " (rotation "
            + plan.rotationId()
            + ") completed: it decrypts"
            + " again in "
            + restarted.size()
            + " deployment(s); approved by "
            + String.join(", ", approvers()));
  }

  /**
   * Runs {@code step}; when it fails, escalates and waits for {@code resume} RETRY, as REVOKE does:
   * after the approvals, giving up half-way would leave the version usable in the store but not in
   * the keyrings.
   */
  private void untilRetried(Runnable step) {
    while (true) {
      try {
        step.run();
        return;
      } catch (TemporalFailure failed) {
        if (failed instanceof CanceledFailure
            || failed.getCause() instanceof CanceledFailure
            || CancellationScope.current().isCancelRequested()) {
          throw failed;
        }
        escalations.ask(
            "un-revoke of " + version() + " failed: " + Failures.describe(failed),
            List.of(ResumeAction.RETRY),
            List.of(),
            events + "-step-failed");
      }
    }
  }

  /** Marks the run failed and returns the failure it ends with. */
  private RuntimeException end(TemporalFailure cause) {
    endState = RotationState.FAILED;
    failure = Failures.describe(cause);
    if (cause instanceof ApplicationFailure || cause instanceof CanceledFailure) {
      return cause;
    }
    String message =
        cause.getCause() instanceof ApplicationFailure activity
            ? activity.getOriginalMessage()
            : failure;
    return ApplicationFailure.newNonRetryableFailureWithCause(message, Failures.type(cause), cause);
  }

  // ---- signals, update and query --------------------------------------------------------------

  @Override
  public void approve(Approval approval) {
    if (approval == null) {
      rotation.refuse("approve", null, "the approval is missing");
      return;
    }
    if (approval.overridePreflight()) {
      rotation.refuse("approve", approval.approver(), NO_PREFLIGHT);
      return;
    }
    decision(
        "approve",
        approval.gate(),
        Verdict.APPROVE,
        approval.approver(),
        approval.comment(),
        approval.proof());
  }

  @Override
  public void reject(Rejection rejection) {
    if (rejection == null) {
      rotation.refuse("reject", null, "the rejection is missing");
      return;
    }
    decision(
        "reject",
        rejection.gate(),
        Verdict.REJECT,
        rejection.approver(),
        rejection.reason(),
        rejection.proof());
  }

  @Override
  public void confirmRestart(RestartConfirmation confirmation) {
    if (confirmation == null) {
      rotation.refuse("confirmRestart", null, "the confirmation is missing");
      return;
    }
    restarts.confirm(confirmation);
  }

  @Override
  public void resume(Resume resume) {
    if (resume == null) {
      rotation.refuse("resume", null, "the decision is missing");
      return;
    }
    escalations.resume(resume);
  }

  @Override
  public GateView decide(GateDecision decision) {
    if (decision == null) {
      throw RotationErrors.DECISION_REFUSED.failure("the decision is missing");
    }
    if (decision.overridePreflight()) {
      throw RotationErrors.DECISION_REFUSED.failure(NO_PREFLIGHT);
    }
    Judgement judgement =
        judgeFetching(decision.gate(), decision.verdict(), decision.actor(), decision.proof());
    if (judgement.isRefused()) {
      throw RotationErrors.DECISION_REFUSED.failure(judgement.refusal());
    }
    apply(decision.verdict(), judgement.identity(), decision.comment());
    return gate.view();
  }

  /** Refuses what the rules forbid; a token whose key is not held yet passes to the handler. */
  @Override
  public void validateDecide(GateDecision decision) {
    if (decision == null) {
      throw RotationErrors.DECISION_REFUSED.failure("the decision is missing");
    }
    if (decision.overridePreflight()) {
      throw RotationErrors.DECISION_REFUSED.failure(NO_PREFLIGHT);
    }
    Judgement judgement =
        judge(decision.gate(), decision.verdict(), decision.actor(), decision.proof());
    if (judgement.isRefused() && !rotation.proofs.mayFetchFor(judgement)) {
      throw RotationErrors.DECISION_REFUSED.failure(judgement.refusal());
    }
  }

  @Override
  public RecoveryStatus status() {
    boolean given = request != null;
    return new RecoveryStatus(
        given ? request.rotationId() : null,
        given ? request.secret() : null,
        plan == null ? null : plan.versionId(),
        given ? request.initiator() : null,
        given ? request.reason() : null,
        state(),
        plan == null ? null : plan.revokedAt(),
        plan == null ? null : plan.windowClosesAt(),
        gate == null ? null : gate.view(),
        escalations.pending(),
        restarts.awaited(),
        List.copyOf(rotation.refusals),
        rotation.timeline.entries(),
        failure,
        rotation.initiator == null ? null : rotation.initiator.how());
  }

  /** A decision by signal: applied, or refused and listed. */
  private void decision(
      String signal, GateName gateName, Verdict verdict, String actor, String text, String proof) {
    Judgement judgement = judgeFetching(gateName, verdict, actor, proof);
    if (judgement.isRefused()) {
      rotation.refuse(signal, actor, judgement.refusal());
      return;
    }
    apply(verdict, judgement.identity(), text);
  }

  /** Whether the decision counts now; pure. */
  private Judgement judge(GateName gateName, Verdict verdict, String actor, String proof) {
    Judgement closed = closed(gateName, verdict);
    return closed != null
        ? closed
        : gate.judge(gateName, verdict, actor, proof, binding(verdict), rotation.proofs);
  }

  /** {@link #judge}, fetching the identity provider's keys when that may help; may block. */
  private Judgement judgeFetching(GateName gateName, Verdict verdict, String actor, String proof) {
    Judgement closed = closed(gateName, verdict);
    if (closed != null) {
      return closed;
    }
    Judgement identified = rotation.proofs.identifyFetching(binding(verdict), actor, proof);
    closed = closed(gateName, verdict);
    return closed != null ? closed : gate.judge(verdict, identified);
  }

  private Judgement closed(GateName gateName, Verdict verdict) {
    if (gateName == null || verdict == null) {
      return Judgement.refused("a decision must name the gate (REVOKE) and the verdict");
    }
    if (gate == null) {
      return Judgement.refused("no approval is asked for yet; the un-revoke is " + state());
    }
    return gate.closedTo(gateName);
  }

  /**
   * The un-revoke's own action, so that an approval of the rotation's REVOKE gate never counts
   * here.
   */
  private ProofBinding binding(Verdict verdict) {
    return ProofBinding.unrevokeGate(request.rotationId(), verdict);
  }

  private void apply(Verdict verdict, Identity who, String text) {
    rotation.proofs.spend(who);
    if (verdict == Verdict.APPROVE) {
      gate.approve(who, text, RotationContext.now());
      rotation.event(TimelineOutcome.APPROVED, who.name(), who.annotate(text));
    } else {
      gate.reject(who, text);
      rotation.event(TimelineOutcome.REJECTED, who.name(), who.annotate(text));
    }
  }

  private RotationState state() {
    if (endState != null) {
      return endState;
    }
    Optional<RotationState> escalated = escalations.state();
    if (escalated.isPresent()) {
      return escalated.get();
    }
    if (gate != null && gate.isOpen()) {
      return RotationState.AWAITING_APPROVAL;
    }
    return restarts.awaited().isEmpty() ? RotationState.RUNNING : RotationState.AWAITING_RESTART;
  }

  private List<String> approvers() {
    List<String> approvers = new ArrayList<>();
    if (gate != null) {
      gate.approvers().forEach(approvers::add);
    }
    return approvers;
  }

  /** "version V of S", for timeline entries and notices. */
  private String version() {
    return "version " + plan.versionId() + " of " + plan.secret();
  }
}
