package io.breakglass.workflows;

import java.time.Instant;

/**
 * When a secret is next due for its routine rotation.
 *
 * @param secret the secret
 * @param dueAt when the routine rotation starts
 * @param lastRotationId the rotation that set this date
 */
public record RoutineSchedule(String secret, Instant dueAt, String lastRotationId) {}
