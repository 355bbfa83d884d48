package io.breakglass.workflows.messages.values;

/** Where a rotation stands, as the {@code status} query reports it. */
public enum RotationState {
  RUNNING,
  AWAITING_APPROVAL,
  AWAITING_RESTART,
  HALTED,
  AWAITING_DECISION,
  COMPENSATING,
  COMPLETED,
  ROLLED_BACK,
  FAILED;

  /** True once the workflow has ended (or is about to return). */
  public boolean terminal() {
    return this == COMPLETED || this == ROLLED_BACK || this == FAILED;
  }
}
