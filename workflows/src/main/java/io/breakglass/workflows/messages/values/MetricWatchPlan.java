package io.breakglass.workflows.messages.values;

import java.util.List;

/**
 * What METRIC_WATCH runs when a Prometheus source is configured.
 *
 * @param metrics the metrics analysed, in parallel
 * @param logScan whether the log scan runs after the analysis
 * @param preflight whether a Prometheus URL is configured, so the pre-flight before the proceed
 *     gate asks it for the configured alerts
 */
public record MetricWatchPlan(List<MetricPlan> metrics, boolean logScan, boolean preflight) {

  /** A plan without a pre-flight. */
  public MetricWatchPlan(List<MetricPlan> metrics, boolean logScan) {
    this(metrics, logScan, false);
  }
}
