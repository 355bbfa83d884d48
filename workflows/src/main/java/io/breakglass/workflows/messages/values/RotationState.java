package io.breakglass.workflows.messages.values;

/**
 * Where a rotation stands, as the {@code status} query reports it. The last three are never
 * reported by a rotation: they are how its record is closed when its workflow ended without closing
 * it, found by comparing the record with Temporal.
 */
public enum RotationState {
  RUNNING,
  AWAITING_APPROVAL,
  AWAITING_RESTART,
  HALTED,
  AWAITING_DECISION,
  COMPENSATING,
  COMPLETED,
  ROLLED_BACK,
  FAILED,
  /** Terminated in Temporal (from its Web UI or CLI): no compensation ran. */
  TERMINATED,
  /** Its workflow ran past its execution timeout: no compensation ran. */
  TIMED_OUT,
  /** Temporal has no such workflow: its history was lost or is past its retention. */
  GONE;

  /** True once the workflow has ended (or is about to return). */
  public boolean terminal() {
    return ordinal() >= COMPLETED.ordinal();
  }
}
