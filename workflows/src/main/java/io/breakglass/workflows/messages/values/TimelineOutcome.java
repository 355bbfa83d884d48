package io.breakglass.workflows.messages.values;

/** The outcome of one timeline entry: a phase run or an event within a phase. */
public enum TimelineOutcome {
  RUNNING,
  SUCCEEDED,
  SKIPPED,
  FAILED,
  APPROVED,
  REJECTED,
  REFUSED,
  TIMED_OUT,
  HALTED,
  RESUMED,
  CONFIRMED,
  ESCALATED,
  COMPENSATED,
  /** A measurement or check without usable data: neither a pass nor a failure. */
  INCONCLUSIVE,
  /** A reminder sent to the people a gate or a decision waits for. */
  REMINDED,
  /** A wait the rules impose before the next step may start (the deployment must run stable). */
  WAITING,
  /** A version an earlier rotation left usable, neither CURRENT nor PREVIOUS: for a human. */
  LEFTOVER
}
