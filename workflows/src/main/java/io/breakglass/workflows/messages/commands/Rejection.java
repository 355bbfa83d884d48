package io.breakglass.workflows.messages.commands;

import io.breakglass.workflows.messages.values.GateName;

/**
 * Signal {@code reject}: stops the rotation at the open gate; the compensations run.
 *
 * @param gate the gate rejected
 * @param approver who rejects (the initiator may reject: stopping is always allowed)
 * @param reason why, for the timeline
 */
public record Rejection(GateName gate, String approver, String reason) {}
