package io.breakglass.api.wire;

/**
 * The answer to a signal (halt, resume, restart report, cancel): delivered, not yet acted on. The
 * workflow lists a signal it refuses in the status's {@code refusals}.
 *
 * @param rotationId the rotation
 * @param message what was sent
 */
public record Accepted(String rotationId, String message) {}
