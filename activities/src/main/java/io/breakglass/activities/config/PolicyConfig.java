package io.breakglass.activities.config;

import io.breakglass.workflows.messages.values.RotationKind;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Approval and timing rules. A request may ask for more approvals than the default of its kind,
 * never fewer than that default, nor than {@code minimumApprovals} ({@link #approvalFloor}).
 *
 * @param emergencyApprovals approvers per gate for an emergency rotation (default 1)
 * @param routineApprovals approvers per gate for a routine rotation (default 2)
 * @param minimumApprovals the floor a request cannot go below (default 1)
 * @param gateTimeout how long a gate waits (default 4 hours)
 * @param restartTimeout how long a manual restart may take (default 30 minutes)
 * @param escalationInterval how often a waiting decision re-escalates (default 1 hour)
 * @param rotationInterval time from one rotation to the next routine one (default 90 days)
 * @param monitoringInterval how long the deployment must run stable on the new versions before the
 *     revoke gate opens, whether or not a metric watch is configured (default 15 minutes)
 * @param revokeRecoveryWindow how long after REVOKE a revoked version may be brought back, decrypt
 *     only, by an approved un-revoke (default 7 days; {@code PT0S} turns the way back off)
 */
public record PolicyConfig(
    @Min(1) int emergencyApprovals,
    @Min(1) int routineApprovals,
    @Min(1) int minimumApprovals,
    Duration gateTimeout,
    Duration restartTimeout,
    Duration escalationInterval,
    Duration rotationInterval,
    Duration monitoringInterval,
    Duration revokeRecoveryWindow) {

  public PolicyConfig {
    emergencyApprovals = emergencyApprovals == 0 ? 1 : emergencyApprovals;
    routineApprovals = routineApprovals == 0 ? 2 : routineApprovals;
    minimumApprovals = minimumApprovals == 0 ? 1 : minimumApprovals;
    gateTimeout = gateTimeout == null ? Duration.ofHours(4) : gateTimeout;
    restartTimeout = restartTimeout == null ? Duration.ofMinutes(30) : restartTimeout;
    escalationInterval = escalationInterval == null ? Duration.ofHours(1) : escalationInterval;
    rotationInterval = rotationInterval == null ? Duration.ofDays(90) : rotationInterval;
    monitoringInterval = monitoringInterval == null ? Duration.ofMinutes(15) : monitoringInterval;
    revokeRecoveryWindow = revokeRecoveryWindow == null ? Duration.ofDays(7) : revokeRecoveryWindow;
  }

  /** The approvers per gate a rotation of this kind has when its request names no number. */
  public int approvalsFor(RotationKind kind) {
    return kind == RotationKind.ROUTINE ? routineApprovals : emergencyApprovals;
  }

  /**
   * The fewest approvers per gate a request for a rotation of this kind may ask for: its kind's
   * default, and never fewer than {@code minimumApprovals}.
   */
  public int approvalFloor(RotationKind kind) {
    return Math.max(minimumApprovals, approvalsFor(kind));
  }

  /** These rules with another monitoring interval (the demo and the tests shorten it). */
  public PolicyConfig withMonitoringInterval(Duration interval) {
    return new PolicyConfig(
        emergencyApprovals,
        routineApprovals,
        minimumApprovals,
        gateTimeout,
        restartTimeout,
        escalationInterval,
        rotationInterval,
        interval,
        revokeRecoveryWindow);
  }

  /** All defaults. */
  public static PolicyConfig defaults() {
    return new PolicyConfig(0, 0, 0, null, null, null, null, null, null);
  }
}
