package io.breakglass.workflows.messages.commands;

/**
 * Starts {@code RevokeRecoveryWorkflow}: the one input of the way back after REVOKE. JSON-friendly
 * so it can be pasted into the Temporal UI, for example:
 *
 * <pre>{@code
 * {"rotationId": "r1", "secret": "artifact-encryption-key", "initiator": "olivia",
 *  "reason": "last week's offline export is still under the old key"}
 * }</pre>
 *
 * @param rotationId the completed rotation whose REVOKE of {@code secret} is undone; the workflow
 *     id is {@code unrevoke-<rotationId>}
 * @param secret the runbook name of the secret whose revoked version becomes usable again
 * @param initiator who asks; never counts as an approver
 * @param reason why, for the rotation's timeline and the notifications
 * @param initiatorProof who asks, proven: an identity provider's token or a signed statement bound
 *     to the rotation's {@code UNREVOKE} (see {@code ProofBinding#unrevoke}); null when unsigned
 */
public record RecoveryRequest(
    String rotationId, String secret, String initiator, String reason, String initiatorProof) {

  /** An unsigned request. */
  public RecoveryRequest(String rotationId, String secret, String initiator, String reason) {
    this(rotationId, secret, initiator, reason, null);
  }
}
