package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Phase durations and gate waits, reported through the SDK's Tally scope as the workflow reports
 * them, reach {@code /metrics} as histograms whose buckets go up to a day.
 */
class LongDurationBucketsTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aThreeHourPhase_landsInTheFourHourBucket_andA30HourGateWaitOnlyInInf() throws Exception {
    try (WorkerMetrics metrics = WorkerMetrics.start(new MetricsConfig(null, 0))) {
      metrics
          .scope()
          .tagged(Map.of("phase", "REENCRYPT"))
          .timer("breakglass_phase_duration")
          .record(com.uber.m3.util.Duration.ofMillis(Duration.ofHours(3).toMillis()));
      metrics
          .scope()
          .tagged(Map.of("gate", "REVOKE"))
          .timer("breakglass_gate_wait")
          .record(com.uber.m3.util.Duration.ofMillis(Duration.ofHours(30).toMillis()));
      // Negative control: any other timer keeps the SDK reporter's histogram, which ends at 30 s.
      metrics
          .scope()
          .timer("breakglass_other_duration")
          .record(com.uber.m3.util.Duration.ofMillis(Duration.ofHours(3).toMillis()));

      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(scrape(metrics))
                      .contains("breakglass_phase_duration_seconds_count{phase=\"REENCRYPT\"} 1")
                      .contains("breakglass_gate_wait_seconds_count{gate=\"REVOKE\"} 1")
                      .contains("breakglass_other_duration_seconds_count 1"));
      String body = scrape(metrics);
      assertThat(body)
          .contains("breakglass_phase_duration_seconds_bucket{phase=\"REENCRYPT\",le=\"7200.0\"} 0")
          .contains(
              "breakglass_phase_duration_seconds_bucket{phase=\"REENCRYPT\",le=\"14400.0\"} 1")
          .contains("breakglass_gate_wait_seconds_bucket{gate=\"REVOKE\",le=\"86400.0\"} 0")
          .contains("breakglass_gate_wait_seconds_bucket{gate=\"REVOKE\",le=\"+Inf\"} 1")
          .doesNotContain(
              "breakglass_phase_duration_seconds_bucket{phase=\"REENCRYPT\",le=\"0.001\"}")
          .contains("breakglass_other_duration_seconds_bucket{le=\"30.0\"} 0")
          .contains("breakglass_other_duration_seconds_bucket{le=\"+Inf\"} 1")
          .doesNotContain("breakglass_other_duration_seconds_bucket{le=\"14400.0\"}");
    }
  }

  private String scrape(WorkerMetrics metrics) throws Exception {
    return http.send(
            HttpRequest.newBuilder(metrics.endpoint()).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
