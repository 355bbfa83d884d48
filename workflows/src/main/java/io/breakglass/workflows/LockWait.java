package io.breakglass.workflows;

import java.time.Instant;

/**
 * Why a due routine rotation has not started: another running rotation holds the secret's lock (or
 * the lock could not be checked), and when the routine timer looks again.
 *
 * @param reason e.g. {@code "secret jwt is being rotated by rotation r7"}
 * @param since when the due rotation began to wait
 * @param nextCheckAt when the lock is tried again
 */
public record LockWait(String reason, Instant since, Instant nextCheckAt) {}
