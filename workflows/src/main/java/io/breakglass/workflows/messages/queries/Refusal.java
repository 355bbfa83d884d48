package io.breakglass.workflows.messages.queries;

import java.time.Instant;

/**
 * A signal the workflow refused (signals cannot answer, so refusals are shown here).
 *
 * @param at when it arrived
 * @param signal the signal's name
 * @param actor who sent it
 * @param reason why it was refused
 */
public record Refusal(Instant at, String signal, String actor, String reason) {}
