package io.breakglass.workflows.messages.commands;

/**
 * Signal {@code halt}: finish the step in flight, start nothing new, wait for {@code resume}.
 *
 * @param actor who halts
 * @param reason why, for the timeline
 */
public record Halt(String actor, String reason) {}
