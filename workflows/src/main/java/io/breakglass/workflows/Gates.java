package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Severity;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
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

  /** When a waiting gate reminds its approvers, in percent of its timeout. */
  private static final int[] REMINDER_PERCENTS = {50, 90};

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
   * Runs gate {@code name} as its phase: returns once approved; throws {@code GATE_REJECTED}, or
   * {@code GATE_TIMED_OUT} when nobody decides in time. Reminders go out at half and at nine
   * tenths of the timeout. An EMERGENCY rotation whose new versions are CURRENT never times out:
   * past the deadline it escalates and keeps waiting, since timing out would roll it back onto a
   * version suspected compromised without anyone deciding so.
   */
  void pass(GateName name) {
    escalations.awaitNotHalted();
    rotation.phase = name.phase();
    Duration timeout = rotation.plan.policy().gateTimeout();
    int required = rotation.plan.policy().requiredApprovals();
    String initiator = rotation.request.initiator();
    int seq = rotation.timeline.start(rotation.phase, "waiting for " + required + " approval(s)");
    Instant deadline = RotationContext.now().plus(timeout);
    ApprovalGate gate = new ApprovalGate(name, required, initiator, RotationContext.now(), deadline);
    gates.add(gate);
    open = gate;
    rotation.saveTimeline();
    String gateEvent = "gate-" + name.name().toLowerCase();
    notices.send(
        gateEvent + "-open",
        List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER),
        Severity.WARNING,
        "rotation " + rotation.rotationId() + " waits at gate " + name + " for " + required
            + " approval(s) from people other than " + initiator + ", until " + deadline);
    boolean decided;
    long waitStarted = Workflow.currentTimeMillis();
    try {
      decided = awaitDeadline(gate, timeout, gateEvent);
      if (!decided && rotation.rollbackRestoresSuspectedKey()) {
        awaitPastDeadline(gate, timeout, gateEvent);
        decided = true;
      }
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

  /** Waits until the gate is decided or its timeout ends, reminding at each reminder mark. */
  private boolean awaitDeadline(ApprovalGate gate, Duration timeout, String gateEvent) {
    Duration waited = Duration.ZERO;
    for (int percent : REMINDER_PERCENTS) {
      Duration mark = timeout.multipliedBy(percent).dividedBy(100);
      if (Workflow.await(mark.minus(waited), () -> !gate.isOpen())) {
        return true;
      }
      waited = mark;
      GateView view = gate.view();
      String summary =
          "reminder: rotation " + rotation.rotationId() + " still waits at gate " + view.gate()
              + " for " + (view.required() - view.approvals().size()) + " more approval(s); "
              + percent + "% of the " + timeout + " timeout has passed, deadline "
              + view.deadline();
      rotation.event(TimelineOutcome.REMINDED, SYSTEM_ACTOR, summary);
      notices.send(
          gateEvent + "-reminder-" + percent,
          List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER),
          Severity.WARNING,
          summary);
      rotation.saveTimeline();
    }
    return Workflow.await(timeout.minus(waited), () -> !gate.isOpen());
  }

  /**
   * An EMERGENCY gate past its deadline: escalates, then waits for a decision as long as it takes,
   * re-escalating every escalation interval. Nobody's silence rolls the rotation back.
   */
  private void awaitPastDeadline(ApprovalGate gate, Duration timeout, String gateEvent) {
    String summary =
        "rotation " + rotation.rotationId() + ": gate " + gate.name() + " got no decision within "
            + timeout + "; the new versions are CURRENT and timing out would roll back onto a"
            + " version suspected compromised, so the gate stays open until someone decides";
    rotation.event(TimelineOutcome.ESCALATED, SYSTEM_ACTOR, summary);
    notices.send(
        gateEvent + "-overdue",
        List.of(Audience.ESCALATION, Audience.ON_CALL, Audience.SECURITY_OFFICER),
        Severity.CRITICAL,
        summary);
    rotation.saveTimeline();
    for (int reminder = 1;
        !Workflow.await(rotation.escalationInterval(), () -> !gate.isOpen());
        reminder++) {
      notices.send(
          gateEvent + "-overdue-reminder-" + reminder,
          List.of(Audience.ESCALATION, Audience.ON_CALL),
          Severity.CRITICAL,
          "still waiting: " + summary);
    }
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
