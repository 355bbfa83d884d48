package io.breakglass.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.breakglass.activities.config.MetricConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.workflows.activities.MetricWatchActivities.PreflightReport;
import io.breakglass.workflows.activities.MetricWatchActivities.WatchRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pre-flight against a loopback fake of Prometheus's {@code GET /api/v1/alerts}, answering in
 * the documented shape: a configured alert firing fails it, one only pending does not, and an
 * unreachable Prometheus, garbage, an error status or an oversized answer never pass.
 */
class PrometheusAlertsTest {

  private static final List<String> CHECKED = List.of("BackendErrorBudgetBurn", "PhiLeakDetected");

  private static final MetricConfig METRIC =
      new MetricConfig(
          "errors", "sum(errors_total)", Duration.ofSeconds(1), 1, "result >= 0", null, 0, 0, null);

  private final AtomicReference<String> body = new AtomicReference<>();
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final AtomicReference<String> path = new AtomicReference<>();
  private HttpServer server;
  private MetricWatchActivitiesImpl activities;

  @BeforeEach
  void startFake() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          path.set(exchange.getRequestURI().getPath());
          byte[] answer = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
    activities =
        activitiesFor(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
  }

  @AfterEach
  void stopFake() {
    server.stop(0);
  }

  @Test
  void aConfiguredAlertFiring_failsThePreflight_andOnlyConfiguredNamesAreReported() {
    body.set(
        alerts(
            alert("BackendErrorBudgetBurn", "firing"),
            alert("BackendErrorBudgetBurn", "firing"),
            alert("SomeoneElses\\u0007Alert<script>", "firing"),
            alert("PhiLeakDetected", "inactive")));

    PreflightReport report = preflight();

    assertThat(path.get()).isEqualTo("/api/v1/alerts");
    assertThat(report.reachable()).isTrue();
    assertThat(report.passed()).isFalse();
    assertThat(report.firing()).containsExactly("BackendErrorBudgetBurn");
    assertThat(report.reason()).isEqualTo("firing: BackendErrorBudgetBurn; Prometheus answered");
  }

  /** The negative control of the firing case: the same alert, only pending, passes. */
  @Test
  void aConfiguredAlertOnlyPending_passes_andIsNamed() {
    body.set(alerts(alert("PhiLeakDetected", "pending"), alert("Unrelated", "firing")));

    PreflightReport report = preflight();

    assertThat(report.passed()).isTrue();
    assertThat(report.pending()).containsExactly("PhiLeakDetected");
    assertThat(report.reason())
        .isEqualTo(
            "none of 2 configured alert(s) firing; pending: PhiLeakDetected; Prometheus answered");
  }

  @Test
  void garbage_anErrorStatus_andAnOversizedAnswer_areNotAnAnswer() {
    body.set("<html>proxy error</html>");
    PreflightReport garbage = preflight();
    body.set("{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"boom\"}");
    status.set(500);
    PreflightReport error = preflight();
    status.set(200);
    body.set("{\"status\":\"success\",\"data\":{\"alerts\":\"none\"}}");
    PreflightReport notAList = preflight();
    body.set(alerts(alert("PhiLeakDetected", "pending") + " ".repeat(PrometheusAlerts.MAX_BODY)));
    PreflightReport oversized = preflight();

    assertThat(List.of(garbage, error, notAList, oversized))
        .allSatisfy(
            r -> {
              assertThat(r.reachable()).isFalse();
              assertThat(r.passed()).isFalse();
            });
    assertThat(garbage.reason())
        .startsWith("HTTP 200 from Prometheus at http://127.0.0.1:")
        .endsWith("without a readable alerts answer");
    assertThat(error.reason()).startsWith("HTTP 500 from Prometheus");
    assertThat(notAList.reason()).endsWith("without a successful alerts answer");
    assertThat(oversized.reason())
        .contains("sent more than " + PrometheusAlerts.MAX_BODY + " bytes");
  }

  @Test
  void anUnreachablePrometheus_failsThePreflight() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    PreflightReport report =
        activitiesFor(URI.create("http://127.0.0.1:" + closed)).preflight(new WatchRequest("r1"));

    assertThat(report.reachable()).isFalse();
    assertThat(report.reason())
        .isEqualTo("Prometheus at http://127.0.0.1:" + closed + " unreachable (ConnectException)");
  }

  @Test
  void noAlertsConfigured_stillChecksThatPrometheusAnswers() {
    body.set(alerts(alert("BackendErrorBudgetBurn", "firing")));
    MetricWatchActivitiesImpl answerOnly =
        new MetricWatchActivitiesImpl(
            new MetricWatchConfig(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(2),
                List.of(METRIC),
                null,
                List.of()),
            List::of);

    PreflightReport report = answerOnly.preflight(new WatchRequest("r1"));

    assertThat(report.passed()).isTrue();
    assertThat(report.reason())
        .isEqualTo("none of 0 configured alert(s) firing; Prometheus answered");
  }

  private PreflightReport preflight() {
    return activities.preflight(new WatchRequest("r1"));
  }

  private static MetricWatchActivitiesImpl activitiesFor(URI prometheus) {
    return new MetricWatchActivitiesImpl(
        new MetricWatchConfig(prometheus, Duration.ofSeconds(2), List.of(METRIC), null, CHECKED),
        List::of);
  }

  private static String alert(String name, String state) {
    return "{\"labels\":{\"alertname\":\""
        + name
        + "\",\"severity\":\"page\"},\"annotations\":{},"
        + "\"state\":\""
        + state
        + "\",\"activeAt\":\"2026-12-03T07:00:00Z\",\"value\":\"1e+00\"}";
  }

  private static String alerts(String... alerts) {
    return "{\"status\":\"success\",\"data\":{\"alerts\":[" + String.join(",", alerts) + "]}}";
  }
}
