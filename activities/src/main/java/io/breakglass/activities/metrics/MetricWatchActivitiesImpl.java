package io.breakglass.activities.metrics;

import io.breakglass.activities.config.LogScanConfig;
import io.breakglass.activities.config.MetricConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.activities.logscan.LogScanner;
import io.breakglass.activities.logscan.LogSource;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.MetricWatchActivities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@link MetricWatchActivities}: Prometheus queries and the log scan. Reads only. */
public final class MetricWatchActivitiesImpl implements MetricWatchActivities {

  /** How many log findings a report lists (all are counted). */
  static final int MAX_LISTED_FINDINGS = 50;

  private final MetricWatchConfig config;
  private final PrometheusClient prometheus;
  private final PrometheusAlerts alerts;
  private final Supplier<List<LogSource>> logSources;

  /**
   * @param config the metric watch, or null when none is configured (every call is then refused)
   * @param logSources where the log scan reads, asked at each scan because pods come and go ({@link
   *     io.breakglass.activities.logscan.ScannedLogs})
   */
  public MetricWatchActivitiesImpl(MetricWatchConfig config, Supplier<List<LogSource>> logSources) {
    this.config = config;
    this.prometheus =
        config == null || config.prometheus() == null
            ? null
            : new PrometheusClient(config.prometheus(), config.queryTimeout());
    this.alerts =
        config == null || config.prometheus() == null
            ? null
            : new PrometheusAlerts(config.prometheus(), config.queryTimeout());
    this.logSources = logSources;
  }

  @Override
  public Baselines captureBaselines(WatchRequest request) {
    Map<String, Double> values = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (MetricConfig metric : configured().metrics()) {
      if (!metric.hasBaseline()) {
        continue;
      }
      QueryResult result = prometheus.query(metric.baselineQuery());
      if (result instanceof QueryResult.Value value) {
        values.put(metric.name(), value.value());
      } else {
        missing.add(metric.name() + ": " + reason(result));
      }
    }
    return new Baselines(values, missing);
  }

  @Override
  public Measurement measure(MeasureRequest request) {
    MetricConfig metric =
        configured()
            .metric(request.metric())
            .orElseThrow(
                () ->
                    RotationErrors.INVALID_CONFIGURATION.failure(
                        "metric " + request.metric() + " is not configured on this worker"));
    return metric
        .conditions()
        .judge(
            metric.name(), request.number(), prometheus.query(metric.query()), request.baseline());
  }

  @Override
  public LogScanReport scanLogs(WatchRequest request) {
    LogScanConfig logScan = configured().logScan();
    if (logScan == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure("no logScan is configured on this worker");
    }
    return new LogScanner(logScan.compiledPatterns(), MAX_LISTED_FINDINGS)
        .scan(logSources.get(), logScan.maxLines());
  }

  @Override
  public PreflightReport preflight(WatchRequest request) {
    if (configured().prometheus() == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "metricWatch has no prometheus URL on this worker; there is nothing to pre-flight");
    }
    return alerts.check(config.preflightAlerts());
  }

  private MetricWatchConfig configured() {
    if (config == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "no metricWatch is configured on this worker");
    }
    return config;
  }

  private static String reason(QueryResult result) {
    if (result instanceof QueryResult.NoData none) {
      return none.reason();
    }
    return ((QueryResult.Failed) result).reason();
  }
}
