package io.breakglass.workflows.messages.queries;

/** Where a registered compensation stands. */
public enum CompensationState {
  REGISTERED,
  RUNNING,
  DONE,
  FAILED,
  SKIPPED_BY_OPERATOR,
  /** No longer needed: the rotation passed the revoke gate, its point of no return. */
  RELEASED
}
