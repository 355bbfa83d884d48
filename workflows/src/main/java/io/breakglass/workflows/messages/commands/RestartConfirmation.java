package io.breakglass.workflows.messages.commands;

/**
 * Signal {@code confirmRestart}: an operator reports on a restart the {@code manual} deployment
 * target asked for.
 *
 * @param deployment the deployment restarted
 * @param operator who restarted it
 * @param ready true when every pod came back ready; false makes the rotation roll back
 * @param comment what they saw
 */
public record RestartConfirmation(
    String deployment, String operator, boolean ready, String comment) {}
