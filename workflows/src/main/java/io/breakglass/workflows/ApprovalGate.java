package io.breakglass.workflows;

import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.queries.ApprovalView;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One human gate and its two-person rule: it opens, collects approvals from distinct people who are
 * not the initiator, and is decided by the last required approval or by any rejection. People are
 * told apart by their normalised names (see {@code PersonNames}), proven where the policy asks for
 * proofs.
 */
final class ApprovalGate {

  private final GateName name;
  private final int required;
  private final Identity initiator;
  private final String initiatorDid;
  private final Instant openedAt;
  private final Instant deadline;
  private final Map<String, ApprovalView> approvals = new LinkedHashMap<>();
  private GateState state = GateState.OPEN;
  private String decidedBy;
  private String reason;

  /** Why only overriding approvals count (the failed pre-flight), or null. */
  private String overrideRequired;

  /**
   * @param initiator who started what the gate guards; never counts as an approver
   * @param initiatorDid what the initiator did, for the refusal ("started this rotation")
   */
  ApprovalGate(
      GateName name,
      int required,
      Identity initiator,
      String initiatorDid,
      Instant openedAt,
      Instant deadline) {
    this.name = name;
    this.required = required;
    this.initiator = initiator;
    this.initiatorDid = initiatorDid;
    this.openedAt = openedAt;
    this.deadline = deadline;
  }

  GateName name() {
    return name;
  }

  boolean isOpen() {
    return state == GateState.OPEN;
  }

  boolean isApproved() {
    return state == GateState.APPROVED;
  }

  /**
   * From now on only approvals that override {@code failure} count: a plain approval is refused, so
   * nobody passes a failed pre-flight without saying so.
   */
  void requireOverride(String failure) {
    overrideRequired = failure;
  }

  /** Why approvals must override, or null when a plain approval counts. */
  String overrideRequired() {
    return overrideRequired;
  }

  /**
   * The pre-flight rule: while it failed only overriding approvals count, and an override counts
   * only where there is a failure to override (and only as an approval). Refused, else null.
   */
  Judgement overrideRule(Verdict verdict, boolean override) {
    if (override && verdict != Verdict.APPROVE) {
      return Judgement.refused("an override goes with an approval; a rejection overrides nothing");
    }
    if (override && overrideRequired == null) {
      return Judgement.refused(
          "gate " + name + " has no failed pre-flight to override; approve without the override");
    }
    if (!override && verdict == Verdict.APPROVE && overrideRequired != null) {
      return Judgement.refused(
          "the pre-flight failed ("
              + overrideRequired
              + "); a plain approval does not pass gate "
              + name
              + ": approve with an override of the pre-flight (overridePreflight, CLI"
              + " --override-preflight) to proceed knowingly, or reject");
    }
    return null;
  }

  /**
   * Whether {@code actor}'s {@code verdict} on gate {@code gate}, proven by {@code proof} for
   * {@code binding}, counts now. Pure: signals, the {@code decide} validator and its handler share
   * these rules; a handler that may block judges through {@link Proofs#identifyFetching} instead.
   */
  Judgement judge(
      GateName gate,
      Verdict verdict,
      String actor,
      String proof,
      ProofBinding binding,
      Proofs proofs) {
    Judgement closed = closedTo(gate);
    return closed != null ? closed : judge(verdict, proofs.identify(binding, actor, proof));
  }

  /** Refused when the gate is not {@code gate} or no longer open, else null. */
  Judgement closedTo(GateName gate) {
    if (gate != name) {
      return Judgement.refused("gate " + gate + " is not open; the open gate is " + name);
    }
    if (state != GateState.OPEN) {
      return Judgement.refused("gate " + name + " is already " + state);
    }
    return null;
  }

  /** The two-person rule on an identified decider: not the initiator, one approval each. */
  Judgement judge(Verdict verdict, Judgement identified) {
    if (identified.isRefused()) {
      return identified;
    }
    Identity who = identified.identity();
    if (verdict == Verdict.APPROVE && initiator != null && initiator.key().equals(who.key())) {
      return Judgement.refused(
          who.name() + " " + initiatorDid + " and cannot approve it (two-person rule)");
    }
    if (verdict == Verdict.APPROVE && approvals.containsKey(who.key())) {
      return Judgement.refused(
          who.name() + " already approved gate " + name + "; one person counts once");
    }
    return identified;
  }

  /** Counts an approval that was judged to count; decides the gate at the last one. */
  void approve(Identity who, String comment, Instant at) {
    approvals.put(
        who.key(), new ApprovalView(who.name(), comment, at, who.verified(), who.verification()));
    if (approvals.size() >= required) {
      state = GateState.APPROVED;
      decidedBy = who.name();
    }
  }

  /** Rejects the gate. */
  void reject(Identity who, String why) {
    state = GateState.REJECTED;
    decidedBy = who.name();
    reason = why;
  }

  /** Closes the gate undecided. */
  void timeOut() {
    state = GateState.TIMED_OUT;
    reason = "no decision before " + deadline;
  }

  /** The approvers, in the order they approved. */
  List<String> approvers() {
    return approvals.values().stream().map(ApprovalView::approver).toList();
  }

  GateView view() {
    return new GateView(
        name,
        state,
        required,
        new ArrayList<>(approvals.values()),
        decidedBy,
        reason,
        openedAt,
        deadline);
  }
}
