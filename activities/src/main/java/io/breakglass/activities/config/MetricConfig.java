package io.breakglass.activities.config;

import io.breakglass.activities.metrics.Condition;
import io.breakglass.activities.metrics.MetricConditions;
import java.time.Duration;

/**
 * One metric of METRIC_WATCH, analysed as in Argo Rollouts: {@code count} measurements, one every
 * {@code interval}, each judged by the conditions (see {@link Condition} for the language). Refused
 * at load time when a condition does not parse, uses {@code baseline} without a baseline query, or
 * a limit leaves no room for a single successful measurement.
 *
 * @param name a short name, e.g. {@code egress-failures}
 * @param query a PromQL instant query giving one value (a scalar or one series)
 * @param interval time between measurements (default 1 minute)
 * @param count measurements in one analysis (default 3)
 * @param successCondition e.g. {@code result > 0}
 * @param failureCondition e.g. {@code result > baseline * 1.5 + 1}
 * @param failureLimit failed measurements tolerated (default 0)
 * @param inconclusiveLimit inconclusive or error measurements tolerated (default 0)
 * @param baselineQuery a PromQL query run once at PLAN, before anything changes; its value is
 *     {@code baseline} in the conditions
 */
public record MetricConfig(
    String name,
    String query,
    Duration interval,
    int count,
    String successCondition,
    String failureCondition,
    int failureLimit,
    int inconclusiveLimit,
    String baselineQuery) {

  public MetricConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a metric needs a name");
    }
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("metric " + name + ": query is missing");
    }
    interval = interval == null ? Duration.ofMinutes(1) : interval;
    count = count == 0 ? 3 : count;
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("metric " + name + ": interval must be positive");
    }
    if (count < 1 || failureLimit < 0 || inconclusiveLimit < 0) {
      throw new IllegalArgumentException(
          "metric " + name + ": count must be at least 1 and the limits at least 0");
    }
    if (failureLimit >= count || inconclusiveLimit >= count) {
      throw new IllegalArgumentException(
          "metric "
              + name
              + ": failureLimit and inconclusiveLimit must be below count ("
              + count
              + "), or the analysis could pass without one successful measurement");
    }
    MetricConditions conditions;
    try {
      conditions = conditions(successCondition, failureCondition);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("metric " + name + ": " + e.getMessage(), e);
    }
    if (conditions.usesBaseline() && (baselineQuery == null || baselineQuery.isBlank())) {
      throw new IllegalArgumentException(
          "metric " + name + ": a condition uses baseline but baselineQuery is missing");
    }
  }

  /** The parsed conditions (valid: the constructor checked them). */
  public MetricConditions conditions() {
    return conditions(successCondition, failureCondition);
  }

  public boolean hasBaseline() {
    return baselineQuery != null && !baselineQuery.isBlank();
  }

  private static MetricConditions conditions(String success, String failure) {
    return new MetricConditions(
        success == null ? null : Condition.parse(success),
        failure == null ? null : Condition.parse(failure));
  }
}
