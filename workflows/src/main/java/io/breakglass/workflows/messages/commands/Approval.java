package io.breakglass.workflows.messages.commands;

import io.breakglass.workflows.messages.values.GateName;

/**
 * Signal {@code approve}: one approver's yes for the gate that is open now. An approval for a
 * gate that is not open, by the initiator, or by someone who already approved, is refused and
 * shown in {@code status().refusals()}.
 *
 * @param gate the gate approved
 * @param approver the approver's identity (the API sets it from the authenticated principal)
 * @param comment why, for the timeline
 */
public record Approval(GateName gate, String approver, String comment) {}
