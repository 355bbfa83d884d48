package io.breakglass.workflows;

import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Severity;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The human gates of a rotation: opening one, collecting approvals by signal or update under the
 * two-person rule, and closing it approved, rejected or timed out.
 */
final class Gates {

  private final RotationContext rotation;
  private final Notices notices;
  private final Escalations escalations;
  private final List<ApprovalGate> gates = new ArrayList<>();
  private ApprovalGate open;

  Gates(RotationContext rotation, Notices notices, Escalations escalations) {
    this.rotation = rotation;
    this.notices = notices;
    this.escalations = escalations;
  }

  /**
   * Runs gate {@code name} as its phase: returns once approved; throws {@code GATE_REJECTED} or,
   * after escalating, {@code GATE_TIMED_OUT}.
   */
  void pass(GateName name) {
    escalations.awaitNotHalted();
    rotation.phase = name.phase();
    Duration timeout = rotation.plan.policy().gateTimeout();
    int required = rotation.plan.policy().requiredApprovals();
    String initiator = rotation.request.initiator();
    int seq = rotation.timeline.start(rotation.phase, "waiting for " + required + " approval(s)");
    ApprovalGate gate =
        new ApprovalGate(
            name, required, initiator, RotationContext.now(), RotationContext.now().plus(timeout));
    gates.add(gate);
    open = gate;
    rotation.saveTimeline();
    String gateEvent = "gate-" + name.name().toLowerCase();
    notices.send(
        gateEvent + "-open",
        List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER),
        Severity.WARNING,
        "rotation " + rotation.rotationId() + " waits at gate " + name + " for " + required
            + " approval(s) from people other than " + initiator + ", until "
            + RotationContext.now().plus(timeout));
    boolean decided;
    long waitStarted = Workflow.currentTimeMillis();
    try {
      decided = Workflow.await(timeout, () -> !gate.isOpen());
    } finally {
      open = null;
      RotationMetrics.gateWaited(name, waitStarted);
    }
    if (!decided) {
      gate.timeOut();
      rotation.timeline.end(seq, TimelineOutcome.TIMED_OUT, "no decision within " + timeout);
      notices.send(
          gateEvent + "-timed-out",
          List.of(Audience.ESCALATION, Audience.ON_CALL),
          Severity.CRITICAL,
          "rotation " + rotation.rotationId() + ": gate " + name + " got no decision within "
              + timeout + "; rolling back");
      rotation.saveTimeline();
      throw RotationErrors.GATE_TIMED_OUT.failure(
          "gate " + name + " got no decision within " + timeout);
    }
    GateView view = gate.view();
    if (!gate.isApproved()) {
      rotation.timeline.end(
          seq, TimelineOutcome.REJECTED, "rejected by " + view.decidedBy() + ": " + view.reason());
      rotation.saveTimeline();
      throw RotationErrors.GATE_REJECTED.failure(
          "gate " + name + " rejected by " + view.decidedBy() + ": " + view.reason());
    }
    rotation.timeline.end(
        seq, TimelineOutcome.APPROVED, "approved by " + String.join(", ", gate.approvers()));
    rotation.saveTimeline();
  }

  /** A decision by signal: applied, or refused and listed. */
  void signal(String signal, GateName gate, Verdict verdict, String actor, String text) {
    Optional<String> refusal = refusal(gate, verdict, actor);
    if (refusal.isPresent()) {
      rotation.refuse(signal, actor, refusal.get());
      return;
    }
    apply(verdict, actor, text);
  }

  /** The {@code decide} update: applies the decision and answers with the gate. */
  GateView decide(GateDecision decision) {
    validate(decision);
    ApprovalGate gate = open;
    apply(decision.verdict(), decision.actor(), decision.comment());
    return gate.view();
  }

  /** The {@code decide} validator: refuses what the rules forbid, with the reason. */
  void validate(GateDecision decision) {
    if (decision == null) {
      throw RotationErrors.DECISION_REFUSED.failure("the decision is missing");
    }
    refusal(decision.gate(), decision.verdict(), decision.actor())
        .ifPresent(
            reason -> {
              throw RotationErrors.DECISION_REFUSED.failure(reason);
            });
  }

  GateView open() {
    return open == null ? null : open.view();
  }

  List<GateView> views() {
    return gates.stream().map(ApprovalGate::view).toList();
  }

  /** Everyone who approved a gate, in order. */
  List<String> approvers() {
    Set<String> approvers = new LinkedHashSet<>();
    gates.forEach(g -> g.approvers().forEach(approvers::add));
    return List.copyOf(approvers);
  }

  private Optional<String> refusal(GateName gate, Verdict verdict, String actor) {
    if (gate == null || verdict == null) {
      return Optional.of("a decision must name the gate and the verdict");
    }
    if (open == null) {
      return Optional.of("no gate is open; the rotation is in phase " + rotation.phase);
    }
    return open.refusal(gate, verdict, actor);
  }

  private void apply(Verdict verdict, String actor, String text) {
    if (verdict == Verdict.APPROVE) {
      open.approve(actor, text, RotationContext.now());
      rotation.event(TimelineOutcome.APPROVED, actor, text);
    } else {
      open.reject(actor, text);
      rotation.event(TimelineOutcome.REJECTED, actor, text);
    }
  }
}
