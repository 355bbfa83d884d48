package io.breakglass.api.wire;

/**
 * The answer to a start.
 *
 * @param rotationId the rotation
 * @param workflowId its workflow id
 * @param created false when the same request had started it before
 */
public record RotationStarted(String rotationId, String workflowId, boolean created) {}
