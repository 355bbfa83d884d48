package io.breakglass.api.wire;

/**
 * The answer to an un-revoke request: the way back runs and waits for its approvals.
 *
 * @param rotationId the rotation whose REVOKE it undoes
 * @param secret the secret
 * @param workflowId its workflow id, {@code unrevoke-<rotationId>}
 */
public record RecoveryStarted(String rotationId, String secret, String workflowId) {}
