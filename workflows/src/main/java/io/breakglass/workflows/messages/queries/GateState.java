package io.breakglass.workflows.messages.queries;

/** Where a gate stands. */
public enum GateState {
  OPEN,
  APPROVED,
  REJECTED,
  TIMED_OUT
}
