package io.breakglass.activities.metrics;

import io.breakglass.workflows.activities.MetricWatchActivities.Measurement;
import io.breakglass.workflows.messages.values.MeasurementOutcome;

/**
 * Judges a query result against a metric's conditions, as Argo Rollouts does: the failure condition
 * is tried first; with both conditions, a value that meets neither is inconclusive; with one, its
 * opposite decides. Missing data is never SUCCESSFUL.
 *
 * @param success the success condition, or null
 * @param failure the failure condition, or null
 */
public record MetricConditions(Condition success, Condition failure) {

  public MetricConditions {
    if (success == null && failure == null) {
      throw new IllegalArgumentException("a metric needs a successCondition or a failureCondition");
    }
  }

  /** Whether a condition needs the baseline. */
  public boolean usesBaseline() {
    return (success != null && success.usesBaseline())
        || (failure != null && failure.usesBaseline());
  }

  /**
   * @param baseline the baseline captured at PLAN, or null when there is none
   */
  public Measurement judge(String metric, int number, QueryResult result, Double baseline) {
    if (result instanceof QueryResult.Failed failed) {
      return new Measurement(metric, number, MeasurementOutcome.ERROR, null, failed.reason());
    }
    if (result instanceof QueryResult.NoData none) {
      return new Measurement(metric, number, MeasurementOutcome.INCONCLUSIVE, null, none.reason());
    }
    double value = ((QueryResult.Value) result).value();
    if (usesBaseline() && (baseline == null || !Double.isFinite(baseline))) {
      return new Measurement(
          metric, number, MeasurementOutcome.INCONCLUSIVE, value, "no baseline was captured");
    }
    double base = baseline == null ? Double.NaN : baseline;
    String withBaseline = baseline == null ? "" : "; baseline " + baseline;
    if (failure != null && failure.test(value, base)) {
      return new Measurement(
          metric, number, MeasurementOutcome.FAILED, value, failure + withBaseline);
    }
    if (success != null && success.test(value, base)) {
      return new Measurement(
          metric, number, MeasurementOutcome.SUCCESSFUL, value, success + withBaseline);
    }
    if (success != null && failure != null) {
      return new Measurement(
          metric,
          number,
          MeasurementOutcome.INCONCLUSIVE,
          value,
          "neither " + success + " nor " + failure + withBaseline);
    }
    return success != null
        ? new Measurement(
            metric, number, MeasurementOutcome.FAILED, value, "not " + success + withBaseline)
        : new Measurement(
            metric, number, MeasurementOutcome.SUCCESSFUL, value, "not " + failure + withBaseline);
  }
}
