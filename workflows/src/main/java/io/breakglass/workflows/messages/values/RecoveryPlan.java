package io.breakglass.workflows.messages.values;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What undoing one REVOKE means, resolved from the rotation's stored record, the secret store and
 * configuration. Ids, times and names only.
 *
 * @param rotationId the completed rotation
 * @param secret the secret
 * @param versionId the version of {@code secret} the rotation revoked
 * @param revokedAt when the rotation's REVOKE phase began (workflow time, from its stored timeline)
 * @param window how long after {@code revokedAt} the version may be brought back ({@code
 *     policy.revokeRecoveryWindow})
 * @param policy the gate policy: as many approvals as the rotation's REVOKE gate took (never fewer
 *     than configured for its kind), the configured gate and restart timeouts
 * @param deployments the configured deployments that read {@code secret}
 * @param lastStoredSeq the last position of the rotation's stored timeline; the way back's entries
 *     follow it
 */
public record RecoveryPlan(
    String rotationId,
    String secret,
    String versionId,
    Instant revokedAt,
    Duration window,
    GatePolicy policy,
    List<DeploymentPlan> deployments,
    int lastStoredSeq) {

  /** The moment the version can no longer be brought back. */
  public Instant windowClosesAt() {
    return revokedAt.plus(window);
  }
}
