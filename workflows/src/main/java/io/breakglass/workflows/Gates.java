package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Severity;
import io.breakglass.workflows.approval.PersonNames;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
   * Runs gate {@code name} as its phase: returns once approved; throws {@code GATE_REJECTED}, or
   * {@code GATE_TIMED_OUT} when nobody decides in time. Reminders go out at half and at nine tenths
   * of the timeout. An EMERGENCY rotation whose new versions are CURRENT never times out: past the
   * deadline it escalates and keeps waiting, since timing out would roll it back onto a version
   * suspected compromised without anyone deciding so.
   */
  void pass(GateName name) {
    escalations.awaitNotHalted();
    rotation.phase = name.phase();
    Duration timeout = rotation.plan.policy().gateTimeout();
    int required = rotation.plan.policy().requiredApprovals();
    String initiator = rotation.request.initiator();
    int seq = rotation.timeline.start(rotation.phase, "waiting for " + required + " approval(s)");
    Instant deadline = RotationContext.now().plus(timeout);
    ApprovalGate gate =
        new ApprovalGate(
            name,
            required,
            rotation.initiator,
            "started this rotation",
            RotationContext.now(),
            deadline);
    if (name == GateName.PROCEED && rotation.preflight != null && rotation.preflight.failed()) {
      gate.requireOverride(rotation.preflight.reason());
    }
    gates.add(gate);
    open = gate;
    rotation.proofs.gateOpened();
    rotation.saveTimeline();
    String gateEvent = "gate-" + name.name().toLowerCase(Locale.ROOT);
    notices.send(
        gateEvent + "-open",
        List.of(Audience.ON_CALL, Audience.SECURITY_OFFICER),
        Severity.WARNING,
        "rotation "
            + rotation.rotationId()
            + " waits at gate "
            + name
            + " for "
            + required
            + " approval(s) from people other than "
            + initiator
            + ", until "
            + deadline);
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
          "rotation "
              + rotation.rotationId()
              + ": gate "
              + name
              + " got no decision within "
              + timeout
              + "; rolling back");
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
    String overriding =
        gate.overrideRequired() == null
            ? ""
            : ", overriding the failed pre-flight (" + gate.overrideRequired() + ")";
    rotation.timeline.end(
        seq,
        TimelineOutcome.APPROVED,
        "approved by " + String.join(", ", gate.approvers()) + overriding);
    rotation.saveTimeline();
  }

  /** Waits until the gate is decided or its timeout ends, reminding at each reminder mark. */
  private boolean awaitDeadline(ApprovalGate gate, Duration timeout, String gateEvent) {
    Duration waited = Duration.ZERO;
    for (int i = 0; i < GateView.REMINDER_PERCENTS.size(); i++) {
      int percent = GateView.REMINDER_PERCENTS.get(i);
      Duration mark = GateView.reminderMark(timeout, i);
      if (Workflow.await(mark.minus(waited), () -> !gate.isOpen())) {
        return true;
      }
      waited = mark;
      GateView view = gate.view();
      String summary =
          "reminder: rotation "
              + rotation.rotationId()
              + " still waits at gate "
              + view.gate()
              + " for "
              + (view.required() - view.approvals().size())
              + " more approval(s); "
              + percent
              + "% of the "
              + timeout
              + " timeout has passed, deadline "
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
        "rotation "
            + rotation.rotationId()
            + ": gate "
            + gate.name()
            + " got no decision within "
            + timeout
            + "; the new versions are CURRENT and timing out would roll back onto a"
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

  /**
   * A decision by signal: applied, or refused and listed. A token whose key the identity provider
   * rotated in since the gate opened is judged again after its keys are fetched.
   */
  void signal(
      String signal,
      GateName gate,
      Verdict verdict,
      boolean override,
      String actor,
      String text,
      String proof) {
    Judgement judgement = judgeFetching(gate, verdict, override, actor, proof);
    if (judgement.isRefused()) {
      rotation.refuse(signal, actor, judgement.refusal());
      return;
    }
    apply(verdict, override, judgement.identity(), text);
  }

  /** The {@code decide} update: applies the decision and answers with the gate. */
  GateView decide(GateDecision decision) {
    if (decision == null) {
      throw RotationErrors.DECISION_REFUSED.failure("the decision is missing");
    }
    Judgement judgement =
        judgeFetching(
            decision.gate(),
            decision.verdict(),
            decision.overridePreflight(),
            decision.actor(),
            decision.proof());
    if (judgement.isRefused()) {
      throw RotationErrors.DECISION_REFUSED.failure(judgement.refusal());
    }
    ApprovalGate gate = open;
    apply(
        decision.verdict(), decision.overridePreflight(), judgement.identity(), decision.comment());
    return gate.view();
  }

  /**
   * The {@code decide} validator: refuses what the rules forbid, with the reason. A token whose key
   * is not held yet passes to the handler, which fetches the keys and judges again.
   */
  void validate(GateDecision decision) {
    if (decision == null) {
      throw RotationErrors.DECISION_REFUSED.failure("the decision is missing");
    }
    Judgement judgement =
        judge(
            decision.gate(),
            decision.verdict(),
            decision.overridePreflight(),
            decision.actor(),
            decision.proof());
    if (judgement.isRefused() && !rotation.proofs.mayFetchFor(judgement)) {
      throw RotationErrors.DECISION_REFUSED.failure(judgement.refusal());
    }
  }

  GateView open() {
    return open == null ? null : open.view();
  }

  List<GateView> views() {
    return gates.stream().map(ApprovalGate::view).toList();
  }

  /** Everyone who approved a gate, in order, each person once (by normalised name). */
  List<String> approvers() {
    Map<String, String> approvers = new LinkedHashMap<>();
    gates.forEach(g -> g.approvers().forEach(a -> approvers.putIfAbsent(PersonNames.key(a), a)));
    return List.copyOf(approvers.values());
  }

  /** Whether the decision counts now; pure. */
  private Judgement judge(
      GateName gate, Verdict verdict, boolean override, String actor, String proof) {
    Judgement closed = closed(gate, verdict, override);
    return closed != null
        ? closed
        : open.judge(
            gate, verdict, actor, proof, binding(gate, verdict, override), rotation.proofs);
  }

  /** {@link #judge}, fetching the identity provider's keys when that may help; may block. */
  private Judgement judgeFetching(
      GateName gate, Verdict verdict, boolean override, String actor, String proof) {
    Judgement closed = closed(gate, verdict, override);
    if (closed != null) {
      return closed;
    }
    Judgement identified =
        rotation.proofs.identifyFetching(binding(gate, verdict, override), actor, proof);
    // The gate may have been decided while the keys were fetched.
    closed = closed(gate, verdict, override);
    return closed != null ? closed : open.judge(verdict, identified);
  }

  private Judgement closed(GateName gate, Verdict verdict, boolean override) {
    if (gate == null || verdict == null) {
      return Judgement.refused("a decision must name the gate and the verdict");
    }
    if (open == null) {
      return Judgement.refused("no gate is open; the rotation is in phase " + rotation.phase);
    }
    Judgement closed = open.closedTo(gate);
    return closed != null ? closed : open.overrideRule(verdict, override);
  }

  /**
   * An overriding approval's proof is bound to {@code <GATE>:OVERRIDE}, never to the plain verdict.
   */
  private ProofBinding binding(GateName gate, Verdict verdict, boolean override) {
    return override
        ? ProofBinding.override(rotation.rotationId(), gate)
        : ProofBinding.gate(rotation.rotationId(), gate, verdict);
  }

  private void apply(Verdict verdict, boolean override, Identity who, String text) {
    rotation.proofs.spend(who);
    if (verdict == Verdict.APPROVE && override) {
      String overridden = "the failed pre-flight (" + open.overrideRequired() + ")";
      open.approve(who, text, RotationContext.now());
      rotation.event(
          TimelineOutcome.APPROVED,
          who.name(),
          who.annotate("overrides " + overridden + ": " + text));
      rotation.preflight = rotation.preflight.overriddenBy(who.name());
      rotation.validations.add("pre-flight overridden by " + who.name() + ": " + overridden);
      rotation.accepted.add("follow up on " + overridden + ", overridden by " + who.name());
    } else if (verdict == Verdict.APPROVE) {
      open.approve(who, text, RotationContext.now());
      rotation.event(TimelineOutcome.APPROVED, who.name(), who.annotate(text));
    } else {
      open.reject(who, text);
      rotation.event(TimelineOutcome.REJECTED, who.name(), who.annotate(text));
    }
  }
}
