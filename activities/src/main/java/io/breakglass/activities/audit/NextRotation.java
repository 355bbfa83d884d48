package io.breakglass.activities.audit;

import java.time.Instant;

/**
 * When a secret is next due for routine rotation.
 *
 * @param secret the secret's name
 * @param dueAt when it is due
 * @param lastRotationId the rotation that completed last and set this date
 */
public record NextRotation(String secret, Instant dueAt, String lastRotationId) {}
