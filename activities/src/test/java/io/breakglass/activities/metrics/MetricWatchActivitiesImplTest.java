package io.breakglass.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.activities.config.MetricConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.activities.testing.PrometheusProcess;
import io.breakglass.activities.testing.SampleCounters;
import io.breakglass.workflows.activities.MetricWatchActivities.Baselines;
import io.breakglass.workflows.activities.MetricWatchActivities.MeasureRequest;
import io.breakglass.workflows.activities.MetricWatchActivities.Measurement;
import io.breakglass.workflows.activities.MetricWatchActivities.WatchRequest;
import io.breakglass.workflows.messages.values.MeasurementOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurements against a real Prometheus scraping the sample service's counters every second.
 * Ordered: the last test stops Prometheus.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricWatchActivitiesImplTest {

  private static final String REDACTIONS =
      "sum(increase(revenuepilot_prompt_redactions_total[5s]))";
  private static final String EGRESS = "sum(increase(revenuepilot_egress_failures_total[5s]))";

  @TempDir static Path folder;
  static SampleCounters sample;
  static PrometheusProcess prometheus;
  static MetricWatchActivitiesImpl activities;

  @BeforeAll
  static void startPrometheus() throws Exception {
    sample = new SampleCounters();
    prometheus = PrometheusProcess.start(folder, List.of(sample.target()));
    activities =
        new MetricWatchActivitiesImpl(
            new MetricWatchConfig(
                prometheus.url(),
                Duration.ofSeconds(2),
                List.of(
                    new MetricConfig(
                        "redactions",
                        REDACTIONS,
                        Duration.ofSeconds(1),
                        2,
                        "result > 0",
                        null,
                        0,
                        0,
                        null),
                    new MetricConfig(
                        "egress-failures",
                        EGRESS,
                        Duration.ofSeconds(1),
                        2,
                        null,
                        "result > baseline * 1.5 + 1",
                        0,
                        0,
                        EGRESS),
                    new MetricConfig(
                        "absent",
                        "sum(no_such_metric_total)",
                        Duration.ofSeconds(1),
                        2,
                        "result >= 0",
                        null,
                        0,
                        0,
                        null),
                    new MetricConfig(
                        "not-a-number",
                        "0/0",
                        Duration.ofSeconds(1),
                        2,
                        "result >= 0",
                        null,
                        0,
                        0,
                        null)),
                null),
            List::of);
    // increase() over 5 s needs two scrapes of a series.
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              sample.redact(3);
              return measure("egress-failures", 0.0).outcome() == MeasurementOutcome.SUCCESSFUL;
            });
  }

  @AfterAll
  static void stop() throws Exception {
    prometheus.close();
    sample.close();
  }

  private static Measurement measure(String metric, Double baseline) {
    return activities.measure(new MeasureRequest("r1", metric, 1, baseline));
  }

  @Test
  @Order(1)
  void aCounterThatKeepsIncreasing_isSuccessful() {
    sample.redact(5);
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(measure("redactions", null).outcome())
                    .isEqualTo(MeasurementOutcome.SUCCESSFUL));
  }

  @Test
  @Order(2)
  void theBaseline_isCapturedFromTheBaselineQuery_only() {
    Baselines baselines = activities.captureBaselines(new WatchRequest("r1"));

    assertThat(baselines.values()).containsOnlyKeys("egress-failures");
    assertThat(baselines.values().get("egress-failures")).isZero();
    assertThat(baselines.missing()).isEmpty();
  }

  @Test
  @Order(3)
  void anEgressFailureSpike_aboveTheBaseline_fails() {
    assertThat(measure("egress-failures", 0.0).outcome())
        .as("negative control: no spike yet")
        .isEqualTo(MeasurementOutcome.SUCCESSFUL);

    sample.egressFailures(40);

    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Measurement measured = measure("egress-failures", 0.0);
              assertThat(measured.outcome()).isEqualTo(MeasurementOutcome.FAILED);
              assertThat(measured.value()).isGreaterThan(1);
              assertThat(measured.detail()).isEqualTo("result > baseline * 1.5 + 1; baseline 0.0");
            });
  }

  @Test
  @Order(4)
  void anEmptyResult_andNaN_areInconclusive() {
    assertThat(measure("absent", null))
        .satisfies(
            m -> {
              assertThat(m.outcome()).isEqualTo(MeasurementOutcome.INCONCLUSIVE);
              assertThat(m.detail()).isEqualTo("empty result");
            });
    assertThat(measure("not-a-number", null).outcome()).isEqualTo(MeasurementOutcome.INCONCLUSIVE);
  }

  @Test
  @Order(5)
  void aStoppedPrometheus_givesErrorMeasurements_andMissingBaselines_notExceptions()
      throws Exception {
    prometheus.stop();

    Measurement measured = measure("redactions", null);
    Baselines baselines = activities.captureBaselines(new WatchRequest("r1"));

    assertThat(measured.outcome()).isEqualTo(MeasurementOutcome.ERROR);
    assertThat(measured.detail()).contains("unreachable");
    assertThat(baselines.values()).isEmpty();
    assertThat(baselines.missing())
        .singleElement()
        .asString()
        .startsWith("egress-failures: ")
        .contains("unreachable");
  }
}
