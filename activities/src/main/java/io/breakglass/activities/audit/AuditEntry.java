package io.breakglass.activities.audit;

import java.time.Instant;

/**
 * One row of {@code breakglass.audit_log}: an operator action and how it ended.
 *
 * @param id its position in the log
 * @param at when it was recorded (the database's clock)
 * @param actor who acted
 * @param action what they did
 * @param target the rotation or secret it concerned, or null
 * @param result how it ended
 * @param detail one line for humans, or null
 */
public record AuditEntry(
    long id,
    Instant at,
    String actor,
    String action,
    String target,
    String result,
    String detail) {}
