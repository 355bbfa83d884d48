package io.breakglass.workflows;

import io.breakglass.workflows.messages.queries.ApprovalView;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One human gate and its two-person rule: it opens, collects approvals from distinct people who
 * are not the initiator, and is decided by the last required approval or by any rejection.
 */
final class ApprovalGate {

  private final GateName name;
  private final int required;
  private final String initiator;
  private final Instant openedAt;
  private final Instant deadline;
  private final Map<String, ApprovalView> approvals = new LinkedHashMap<>();
  private GateState state = GateState.OPEN;
  private String decidedBy;
  private String reason;

  ApprovalGate(GateName name, int required, String initiator, Instant openedAt, Instant deadline) {
    this.name = name;
    this.required = required;
    this.initiator = initiator;
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
   * Why {@code actor} may not give {@code verdict} on gate {@code gate} now, or empty when they
   * may. Signals and the {@code decide} validator share these rules.
   */
  Optional<String> refusal(GateName gate, Verdict verdict, String actor) {
    if (gate != name) {
      return Optional.of("gate " + gate + " is not open; the open gate is " + name);
    }
    if (state != GateState.OPEN) {
      return Optional.of("gate " + name + " is already " + state);
    }
    if (actor == null || actor.isBlank()) {
      return Optional.of("a decision needs the name of who decides");
    }
    if (verdict == Verdict.APPROVE && actor.equals(initiator)) {
      return Optional.of(actor + " started this rotation and cannot approve it (two-person rule)");
    }
    if (verdict == Verdict.APPROVE && approvals.containsKey(actor)) {
      return Optional.of(actor + " already approved gate " + name + "; one person counts once");
    }
    return Optional.empty();
  }

  /** Counts an approval that passed {@link #refusal}; decides the gate at the last one. */
  void approve(String actor, String comment, Instant at) {
    approvals.put(actor, new ApprovalView(actor, comment, at));
    if (approvals.size() >= required) {
      state = GateState.APPROVED;
      decidedBy = actor;
    }
  }

  /** Rejects the gate. */
  void reject(String actor, String why) {
    state = GateState.REJECTED;
    decidedBy = actor;
    reason = why;
  }

  /** Closes the gate undecided. */
  void timeOut() {
    state = GateState.TIMED_OUT;
    reason = "no decision before " + deadline;
  }

  /** The approvers, in the order they approved. */
  Iterable<String> approvers() {
    return approvals.keySet();
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
