package io.breakglass.api.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.testing.PrometheusProcess;
import io.breakglass.api.ApiTest;
import io.breakglass.worker.dev.DevSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every panel query of deploy/grafana/breakglass.json returns data from a real Prometheus (Debian's
 * {@code prometheus}) scraping the dev stack's worker ({@code /metrics}) and the API's admin port
 * ({@code /prometheus}) while a rotation runs through the API: it waits at PROCEED until Prometheus
 * sees the gate gauge at 1, re-encrypts, is rejected at REVOKE and rolled back (so the compensation
 * panel has data too).
 */
class DashboardQueriesTest extends ApiTest {

  static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "breakglass.json");

  /** Grafana's own variables, as Grafana would fill them for a six-hour dashboard. */
  private static final Map<String, String> GRAFANA_VARIABLES =
      Map.of("$__rate_interval", "5m", "$__range", "1h", "$__interval", "15s");

  private static final String ROTATION = "dash-1";
  private static final List<String> ENDED = List.of("COMPLETED", "ROLLED_BACK", "FAILED");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path folder;

  private static PrometheusProcess prometheus;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void scrapeTheWorkerAndTheApi() throws Exception {
    URI worker = testbed.stack().metricsEndpoint();
    URI admin = testbed.adminUri("/prometheus");
    prometheus =
        PrometheusProcess.startScraping(
            folder,
            """
              - job_name: breakglass-worker
                static_configs:
                  - targets: ['%s']
              - job_name: breakglass-api
                metrics_path: /prometheus
                static_configs:
                  - targets: ['%s']
            """
                .formatted(worker.getAuthority(), admin.getAuthority()));
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void afterARotation_everyPanelQueryReturnsData() throws Exception {
    testbed.endOpenRotations();
    assertThat(testbed.start("olivia", ROTATION, DevSettings.PAYLOAD_KEY).statusCode())
        .isEqualTo(201);
    testbed.awaitGate(ROTATION, "PROCEED");
    // The gauge rises: Prometheus sees the gate waiting before anyone decides.
    await("Prometheus sees gate PROCEED waiting")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> values("max(breakglass_gates_waiting{gate=\"PROCEED\"})").contains(1.0));
    JsonNode end = steerToARollback();
    assertThat(end.path("state").asText()).isEqualTo("ROLLED_BACK");
    // And falls back: nothing in flight once it ended (the worker re-lists every 15 s).
    await("Prometheus sees no rotation in flight")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                values("sum(max by (phase) (breakglass_rotations_in_flight))")
                    .equals(List.of(0.0)));

    List<String> empty = new ArrayList<>();
    await("every panel query returns data")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              empty.clear();
              empty.addAll(emptyPanelQueries(JSON.readTree(DASHBOARD.toFile())));
              return empty.isEmpty();
            });
    assertThat(empty).isEmpty();
  }

  /** Negative control: a panel whose metric is misspelled returns nothing, and is named. */
  @Test
  void aPanelWithAMisspelledMetric_isReportedByTitle() throws Exception {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    JsonNode target = dashboard.path("panels").get(1).path("targets").get(0);
    ((com.fasterxml.jackson.databind.node.ObjectNode) target)
        .put(
            "expr",
            target
                .path("expr")
                .asText()
                .replace("breakglass_gates_waiting", "breakglass_gate_waiting"));

    assertThat(emptyPanelQueries(dashboard)).containsExactly("Gates waiting: A");
  }

  /** "title: refId" of every panel target whose query returns no sample with a number. */
  private List<String> emptyPanelQueries(JsonNode dashboard) throws Exception {
    List<String> empty = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
          expr = expr.replace(variable.getKey(), variable.getValue());
        }
        if (values(expr).stream().noneMatch(v -> !v.isNaN())) {
          empty.add(panel.path("title").asText() + ": " + target.path("refId").asText());
        }
      }
    }
    return empty;
  }

  /** The values of an instant query's result (fails on a query Prometheus refuses). */
  private List<Double> values(String promql) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    prometheus
                        .url()
                        .resolve(
                            "/api/v1/query?query="
                                + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(promql + ": " + response.body()).isEqualTo(200);
    List<Double> values = new ArrayList<>();
    for (JsonNode sample : JSON.readTree(response.body()).path("data").path("result")) {
      values.add(Double.parseDouble(sample.path("value").get(1).asText()));
    }
    return values;
  }

  /** Approves PROCEED, confirms restarts, rejects REVOKE and chooses rollback until it ends. */
  private static JsonNode steerToARollback() {
    return await("rotation " + ROTATION + " ends")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .until(
            DashboardQueriesTest::steer, status -> ENDED.contains(status.path("state").asText()));
  }

  private static JsonNode steer() {
    JsonNode status = testbed.status(ROTATION);
    String path = "/api/rotations/" + ROTATION;
    String gate = status.path("pendingGate").path("gate").asText();
    if (gate.equals("PROCEED") && status.path("pendingGate").path("approvals").isEmpty()) {
      testbed.post("bob", path + "/gates/PROCEED/approve", "{\"comment\":\"checked\"}");
    } else if (gate.equals("REVOKE")) {
      testbed.post("carol", path + "/gates/REVOKE/reject", "{\"comment\":\"not yet\"}");
    }
    if (status.path("pendingRestarts").toString().contains("backend")) {
      testbed.post("olivia", path + "/restarts/backend", "{\"ready\":true,\"comment\":\"ready\"}");
    }
    if (status.path("pendingDecision").isObject()) {
      testbed.post(
          "olivia", path + "/resume", "{\"action\":\"ROLLBACK\",\"comment\":\"roll back\"}");
    }
    return status;
  }
}
