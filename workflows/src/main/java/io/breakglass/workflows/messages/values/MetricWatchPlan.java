package io.breakglass.workflows.messages.values;

import java.util.List;

/**
 * What METRIC_WATCH runs when a Prometheus source is configured.
 *
 * @param metrics the metrics analysed, in parallel
 * @param logScan whether the log scan runs after the analysis
 */
public record MetricWatchPlan(List<MetricPlan> metrics, boolean logScan) {}
