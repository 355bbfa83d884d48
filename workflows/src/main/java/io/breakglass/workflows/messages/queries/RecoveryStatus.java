package io.breakglass.workflows.messages.queries;

import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import java.time.Instant;
import java.util.List;

/**
 * Query {@code status} of {@code RevokeRecoveryWorkflow}. Ids and times only.
 *
 * @param rotationId the rotation whose REVOKE is undone
 * @param secret the secret
 * @param versionId the revoked version, or null until the stored record was read
 * @param initiator who asked (never an approver)
 * @param reason why
 * @param state running, waiting for whom, or how it ended (COMPLETED or FAILED)
 * @param revokedAt when the rotation revoked the version, or null until read
 * @param windowClosesAt when the way back closes, or null until read
 * @param gate the approval gate once it opened (open or decided), else null
 * @param pendingDecision why it waits for a {@code resume}, or null
 * @param pendingRestarts deployments whose restart an operator must confirm
 * @param refusals signals it refused
 * @param timeline its entries, numbered as they are stored in the rotation's timeline
 * @param failure the failure type and message once it failed, else null
 * @param initiatorVerification how the initiator was verified ({@code verified: …} or {@code
 *     unverified (…)}); null until checked
 */
public record RecoveryStatus(
    String rotationId,
    String secret,
    String versionId,
    String initiator,
    String reason,
    RotationState state,
    Instant revokedAt,
    Instant windowClosesAt,
    GateView gate,
    PendingDecision pendingDecision,
    List<String> pendingRestarts,
    List<Refusal> refusals,
    List<TimelineEntry> timeline,
    String failure,
    String initiatorVerification) {

  /** A status whose initiator's verification is not known. */
  public RecoveryStatus(
      String rotationId,
      String secret,
      String versionId,
      String initiator,
      String reason,
      RotationState state,
      Instant revokedAt,
      Instant windowClosesAt,
      GateView gate,
      PendingDecision pendingDecision,
      List<String> pendingRestarts,
      List<Refusal> refusals,
      List<TimelineEntry> timeline,
      String failure) {
    this(
        rotationId,
        secret,
        versionId,
        initiator,
        reason,
        state,
        revokedAt,
        windowClosesAt,
        gate,
        pendingDecision,
        pendingRestarts,
        refusals,
        timeline,
        failure,
        null);
  }
}
