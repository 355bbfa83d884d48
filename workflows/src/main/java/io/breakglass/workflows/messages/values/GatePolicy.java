package io.breakglass.workflows.messages.values;

import java.time.Duration;

/**
 * The approval and waiting rules a rotation runs under, resolved from configuration and request.
 *
 * @param requiredApprovals distinct approvers each gate needs (never the initiator)
 * @param gateTimeout how long a gate waits before it escalates: a ROUTINE rotation then rolls back;
 *     an EMERGENCY rotation whose new versions are CURRENT keeps waiting
 * @param restartTimeout how long a manual restart may take before it counts as failed
 * @param escalationInterval how often a rotation that waits for a human decision re-escalates
 * @param monitoringInterval how long the deployment must run stable on the new versions, from the
 *     end of PROMOTE, before the revoke gate opens (null in plans made before it existed: none)
 * @param approvals how starts and decisions are verified (null in plans made before they were:
 *     unsigned decisions count, marked unverified)
 */
public record GatePolicy(
    int requiredApprovals,
    Duration gateTimeout,
    Duration restartTimeout,
    Duration escalationInterval,
    Duration monitoringInterval,
    ApprovalPolicy approvals) {

  /** A policy without approval rules: unsigned decisions count, marked unverified. */
  public GatePolicy(
      int requiredApprovals,
      Duration gateTimeout,
      Duration restartTimeout,
      Duration escalationInterval,
      Duration monitoringInterval) {
    this(
        requiredApprovals,
        gateTimeout,
        restartTimeout,
        escalationInterval,
        monitoringInterval,
        null);
  }

  /** These rules with {@code approvals} as the approval policy. */
  public GatePolicy withApprovals(ApprovalPolicy approvals) {
    return new GatePolicy(
        requiredApprovals,
        gateTimeout,
        restartTimeout,
        escalationInterval,
        monitoringInterval,
        approvals);
  }
}
