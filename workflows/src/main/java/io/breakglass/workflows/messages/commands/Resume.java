package io.breakglass.workflows.messages.commands;

import io.breakglass.workflows.messages.values.ResumeAction;

/**
 * Signal {@code resume}: the human decision a halted rotation waits for. After a {@code halt} the
 * action is CONTINUE or ROLLBACK; after a data failure RETRY, ROLLBACK or RESTORE_AND_ROLLBACK;
 * after a compensation that keeps failing RETRY or SKIP_STEP. Other actions are refused.
 *
 * @param actor who decides
 * @param action what to do
 * @param comment why, for the timeline
 */
public record Resume(String actor, ResumeAction action, String comment) {}
