package io.breakglass.activities.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * METRIC_WATCH: a Prometheus analysis of the protected service after the rotation, then a scan of
 * its logs. When absent, METRIC_WATCH is skipped with its reason.
 *
 * @param prometheus the Prometheus base URL, e.g. {@code http://prometheus:9090}; required when
 *     metrics are configured
 * @param queryTimeout how long one query may take before the measurement is an error (default 10 s)
 * @param metrics the metrics analysed in parallel; names are unique
 * @param logScan the log scan, or null for none
 * @param preflightAlerts Prometheus alert names ({@code alertname}) that must not be firing when a
 *     rotation reaches its proceed gate; with a {@code prometheus} URL the pre-flight always checks
 *     that Prometheus answers, and these add the firing check. Need the prometheus URL.
 */
public record MetricWatchConfig(
    URI prometheus,
    Duration queryTimeout,
    List<MetricConfig> metrics,
    LogScanConfig logScan,
    List<String> preflightAlerts) {

  public MetricWatchConfig {
    queryTimeout = queryTimeout == null ? Duration.ofSeconds(10) : queryTimeout;
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
    preflightAlerts = preflightAlerts == null ? List.of() : List.copyOf(preflightAlerts);
    if (!preflightAlerts.isEmpty() && prometheus == null) {
      throw new IllegalArgumentException("metricWatch: preflightAlerts need the prometheus URL");
    }
    for (String alert : preflightAlerts) {
      if (alert == null || !alert.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
        throw new IllegalArgumentException(
            "metricWatch: preflightAlerts entries are Prometheus alert names ([a-zA-Z_:][a-zA-Z0-9_:]*)");
      }
    }
    if (metrics.isEmpty() && logScan == null) {
      throw new IllegalArgumentException("metricWatch needs metrics, a logScan, or both");
    }
    if (!metrics.isEmpty() && prometheus == null) {
      throw new IllegalArgumentException("metricWatch: metrics need the prometheus URL");
    }
    Set<String> names = new HashSet<>();
    for (MetricConfig metric : metrics) {
      if (!names.add(metric.name())) {
        throw new IllegalArgumentException(
            "metricWatch: metric " + metric.name() + " is configured twice");
      }
    }
  }

  /** A metric watch without pre-flight alerts. */
  public MetricWatchConfig(
      URI prometheus, Duration queryTimeout, List<MetricConfig> metrics, LogScanConfig logScan) {
    this(prometheus, queryTimeout, metrics, logScan, List.of());
  }

  public Optional<MetricConfig> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
