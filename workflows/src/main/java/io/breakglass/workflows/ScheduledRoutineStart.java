package io.breakglass.workflows;

/**
 * What a secret's routine schedule passes to each of its firings: the same for every firing, so the
 * rotation id is chosen when the firing runs.
 *
 * @param secret the secret to rotate
 */
public record ScheduledRoutineStart(String secret) {}
