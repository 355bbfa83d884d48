package io.breakglass.workflows.messages.commands;

import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;

/**
 * Update {@code decide}: an approval or rejection that gets a synchronous answer. The validator
 * applies the same rules as the signals and refuses with the reason.
 *
 * @param gate the gate decided
 * @param verdict approve or reject
 * @param actor who decides
 * @param comment why, for the timeline
 */
public record GateDecision(GateName gate, Verdict verdict, String actor, String comment) {}
