package io.breakglass.workflows.messages.values;

/** What one measurement of a metric said, in the terms of an Argo Rollouts analysis. */
public enum MeasurementOutcome {
  /** The value met the success condition (or did not meet the failure condition). */
  SUCCESSFUL,
  /** The value met the failure condition (or missed the success condition). */
  FAILED,
  /**
   * No usable value: an empty result, NaN or infinity, a baseline that is missing, or a value
   * neither condition decides.
   */
  INCONCLUSIVE,
  /** The measurement could not be taken: Prometheus unreachable, an HTTP or query error. */
  ERROR
}
