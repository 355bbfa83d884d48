package io.breakglass.workflows.messages.queries;

import io.breakglass.workflows.messages.values.GateName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A gate as operators see it.
 *
 * @param gate which gate
 * @param state open, approved, rejected or timed out
 * @param required approvals needed
 * @param approvals approvals counted, one per person
 * @param decidedBy who rejected it, or who gave the last approval
 * @param reason the rejection reason, or null
 * @param openedAt when it opened
 * @param deadline when it times out
 */
public record GateView(
    GateName gate,
    GateState state,
    int required,
    List<ApprovalView> approvals,
    String decidedBy,
    String reason,
    Instant openedAt,
    Instant deadline) {

  /** When a waiting gate reminds its approvers, in percent of its timeout, in order. */
  public static final List<Integer> REMINDER_PERCENTS = List.of(50, 90);

  /**
   * When the gate first reminds its approvers: {@link #REMINDER_PERCENTS}' first mark of the way
   * from {@link #openedAt} to {@link #deadline}. A gate still open then has waited past its
   * reminder (the alert on {@code breakglass_gates_past_reminder} reads this).
   */
  public Instant firstReminderAt() {
    return openedAt.plus(reminderMark(Duration.between(openedAt, deadline), 0));
  }

  /** The {@code index}-th reminder mark of a gate whose timeout is {@code timeout}. */
  public static Duration reminderMark(Duration timeout, int index) {
    return timeout.multipliedBy(REMINDER_PERCENTS.get(index)).dividedBy(100);
  }
}
