package io.breakglass.workflows.messages.values;

/** Where the analysis of one metric (or of all of them) stands. */
public enum AnalysisPhase {
  /** More measurements are due. */
  RUNNING,
  /** Every measurement was taken and the limits held. */
  SUCCESSFUL,
  /** More measurements failed than the failure limit allows. */
  FAILED,
  /** More measurements were inconclusive or errors than the inconclusive limit allows. */
  INCONCLUSIVE
}
