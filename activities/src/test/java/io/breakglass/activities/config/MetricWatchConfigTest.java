package io.breakglass.activities.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricWatchConfigTest {

  private static final URI PROMETHEUS = URI.create("http://127.0.0.1:9090");

  private static MetricConfig metric(
      String success, String failure, int count, int failureLimit, String baseline) {
    return new MetricConfig(
        "egress",
        "sum(x)",
        Duration.ofSeconds(1),
        count,
        success,
        failure,
        failureLimit,
        0,
        baseline);
  }

  @Test
  void defaults_areOneMinuteAndThreeMeasurements_withoutTolerance() {
    MetricConfig metric = new MetricConfig("m", "sum(x)", null, 0, "result > 0", null, 0, 0, null);

    assertThat(metric.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(metric.count()).isEqualTo(3);
    assertThat(new MetricWatchConfig(PROMETHEUS, null, List.of(metric), null).queryTimeout())
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aMalformedCondition_isRefused_namingTheMetric() {
    assertThatThrownBy(() -> metric("result >> 0", null, 3, 0, null))
        .hasMessage(
            "metric egress: condition 'result >> 0': expected a number or 'baseline' at position 9");
  }

  @Test
  void aBaselineCondition_withoutABaselineQuery_isRefused() {
    assertThatThrownBy(() -> metric(null, "result > baseline * 2", 3, 0, null))
        .hasMessage("metric egress: a condition uses baseline but baselineQuery is missing");
  }

  @Test
  void aMetricWithoutCondition_isRefused() {
    assertThatThrownBy(() -> metric(null, null, 3, 0, null))
        .hasMessageContaining("successCondition");
  }

  @Test
  void limitsThatLeaveNoRoomForASuccess_areRefused() {
    assertThatThrownBy(() -> metric("result > 0", null, 2, 2, null))
        .hasMessageContaining("must be below count (2)");
  }

  @Test
  void metricsWithoutPrometheus_orNothingAtAll_orTwoOfOneName_areRefused() {
    MetricConfig metric = metric("result > 0", null, 3, 0, null);

    assertThatThrownBy(() -> new MetricWatchConfig(null, null, List.of(metric), null))
        .hasMessageContaining("prometheus URL");
    assertThatThrownBy(() -> new MetricWatchConfig(PROMETHEUS, null, List.of(), null))
        .hasMessageContaining("needs metrics, a logScan, or both");
    assertThatThrownBy(() -> new MetricWatchConfig(PROMETHEUS, null, List.of(metric, metric), null))
        .hasMessageContaining("egress is configured twice");
  }

  @Test
  void negativeControl_aWellFormedMetric_isAccepted() {
    assertThat(metric(null, "result > baseline * 1.5 + 1", 3, 1, "sum(x)").hasBaseline()).isTrue();
  }

  @Test
  void preflightAlerts_needThePrometheusUrl_andAreAlertNames() {
    MetricConfig metric = metric("result > 0", null, 1, 0, null);
    LogScanConfig logs =
        new LogScanConfig(List.of(java.nio.file.Path.of("/var/log/app.log")), 0, null);

    assertThatThrownBy(
            () -> new MetricWatchConfig(null, null, List.of(), logs, List.of("PhiLeakDetected")))
        .hasMessage("metricWatch: preflightAlerts need the prometheus URL");
    assertThatThrownBy(
            () -> new MetricWatchConfig(PROMETHEUS, null, List.of(metric), null, List.of("a b")))
        .hasMessageStartingWith("metricWatch: preflightAlerts entries are Prometheus alert names");
    assertThat(
            new MetricWatchConfig(
                    PROMETHEUS, null, List.of(metric), null, List.of("PhiLeakDetected"))
                .preflightAlerts())
        .containsExactly("PhiLeakDetected");
  }
}
