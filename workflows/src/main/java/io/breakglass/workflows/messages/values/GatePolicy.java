package io.breakglass.workflows.messages.values;

import java.time.Duration;

/**
 * The approval and waiting rules a rotation runs under, resolved from configuration and request.
 *
 * @param requiredApprovals distinct approvers each gate needs (never the initiator)
 * @param gateTimeout how long a gate waits before the rotation aborts and escalates
 * @param restartTimeout how long a manual restart may take before it counts as failed
 * @param escalationInterval how often a rotation that waits for a human decision re-escalates
 */
public record GatePolicy(
    int requiredApprovals,
    Duration gateTimeout,
    Duration restartTimeout,
    Duration escalationInterval) {}
