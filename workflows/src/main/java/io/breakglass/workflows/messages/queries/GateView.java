package io.breakglass.workflows.messages.queries;

import io.breakglass.workflows.messages.values.GateName;
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
    Instant deadline) {}
