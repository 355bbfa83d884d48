package io.breakglass.workflows.analysis;

import io.breakglass.workflows.messages.values.AnalysisPhase;
import io.breakglass.workflows.messages.values.MeasurementOutcome;
import io.breakglass.workflows.messages.values.MetricPlan;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/**
 * The analysis of one metric, as in Argo Rollouts: it counts measurements by outcome and ends
 * FAILED once failures exceed the failure limit, INCONCLUSIVE once inconclusive and error
 * measurements together exceed the inconclusive limit, and SUCCESSFUL once {@code count}
 * measurements were taken within the limits. Missing data never passes: an analysis with no
 * successful measurement at all ends INCONCLUSIVE. Pure and deterministic, so workflow code can
 * hold it.
 */
public final class MetricAnalysis {

  private final MetricPlan plan;
  private final Map<MeasurementOutcome, Integer> counts = new EnumMap<>(MeasurementOutcome.class);
  private AnalysisPhase phase = AnalysisPhase.RUNNING;

  public MetricAnalysis(MetricPlan plan) {
    if (plan.count() < 1 || plan.failureLimit() < 0 || plan.inconclusiveLimit() < 0) {
      throw new IllegalArgumentException(
          "metric " + plan.name() + ": count must be at least 1 and the limits at least 0");
    }
    this.plan = plan;
  }

  /** Adds one measurement; returns the phase after it. Refused once the analysis ended. */
  public AnalysisPhase record(MeasurementOutcome outcome) {
    if (phase != AnalysisPhase.RUNNING) {
      throw new IllegalStateException(
          "metric " + plan.name() + ": the analysis already ended " + phase);
    }
    counts.merge(outcome, 1, Integer::sum);
    if (count(MeasurementOutcome.FAILED) > plan.failureLimit()) {
      phase = AnalysisPhase.FAILED;
    } else if (inconclusive() > plan.inconclusiveLimit()) {
      phase = AnalysisPhase.INCONCLUSIVE;
    } else if (taken() >= plan.count()) {
      phase =
          count(MeasurementOutcome.SUCCESSFUL) == 0
              ? AnalysisPhase.INCONCLUSIVE
              : AnalysisPhase.SUCCESSFUL;
    }
    return phase;
  }

  public AnalysisPhase phase() {
    return phase;
  }

  public MetricPlan plan() {
    return plan;
  }

  /** Measurements taken so far. */
  public int taken() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  public int count(MeasurementOutcome outcome) {
    return counts.getOrDefault(outcome, 0);
  }

  /** "name PHASE: n successful, n failed (limit), n inconclusive or error (limit) of count". */
  public String summary() {
    return plan.name()
        + " "
        + phase
        + ": "
        + count(MeasurementOutcome.SUCCESSFUL)
        + " successful, "
        + count(MeasurementOutcome.FAILED)
        + " failed (limit "
        + plan.failureLimit()
        + "), "
        + inconclusive()
        + " inconclusive or error (limit "
        + plan.inconclusiveLimit()
        + ") of "
        + plan.count();
  }

  /**
   * The phase of several analyses together: FAILED if any failed, else INCONCLUSIVE if any was,
   * else RUNNING while any runs, else SUCCESSFUL.
   */
  public static AnalysisPhase combined(Collection<MetricAnalysis> analyses) {
    for (AnalysisPhase worst :
        new AnalysisPhase[] {
          AnalysisPhase.FAILED, AnalysisPhase.INCONCLUSIVE, AnalysisPhase.RUNNING
        }) {
      if (analyses.stream().anyMatch(a -> a.phase == worst)) {
        return worst;
      }
    }
    return AnalysisPhase.SUCCESSFUL;
  }

  private int inconclusive() {
    return count(MeasurementOutcome.INCONCLUSIVE) + count(MeasurementOutcome.ERROR);
  }
}
