package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.worker.tracing.Tracing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's probes on its metrics port against an embedded Temporal: live and not ready while it
 * starts; ready while its pollers poll; not ready once polling is suspended, the Temporal server is
 * gone, or the worker is shut down (then not live either).
 */
class WorkerHealthTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedTemporal temporal;
  private TemporalConnection connection;
  private WorkerMetrics metrics;
  private BreakglassWorker worker;

  @BeforeEach
  void start() {
    temporal = EmbeddedTemporal.start(0);
    metrics = WorkerMetrics.start(new MetricsConfig("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.shutdownNow();
    }
    if (connection != null) {
      connection.close();
    }
    metrics.close();
    temporal.close();
  }

  @Test
  void whileStarting_liveButNotReady() throws Exception {
    assertThat(get("/health/live")).isEqualTo("200 {\"status\":\"UP\"}");
    assertThat(get("/health/ready"))
        .isEqualTo("503 {\"status\":\"DOWN\",\"reason\":\"worker is starting\"}");
  }

  @Test
  void aPollingWorker_isReady_andSuspendingItsPolling_makesItNotReady() throws Exception {
    startWorker();
    assertThat(get("/health/ready")).isEqualTo("200 {\"status\":\"UP\"}");

    worker.suspendPolling();
    assertThat(get("/health/ready"))
        .isEqualTo("503 {\"status\":\"DOWN\",\"reason\":\"polling is suspended\"}");
    assertThat(get("/health/live")).startsWith("200");

    worker.resumePolling();
    assertThat(get("/health/ready")).startsWith("200");
  }

  @Test
  void negativeControl_whenTheTemporalServerIsGone_theWorkerIsNotReady_butLive() throws Exception {
    startWorker();
    assertThat(get("/health/ready")).startsWith("200");

    temporal.close();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(get("/health/ready"))
                    .startsWith("503 {\"status\":\"DOWN\",\"reason\":\"last poll failing: Poll")
                    .contains("UNAVAILABLE"));
    assertThat(get("/health/live")).as("a restart would not bring Temporal back").startsWith("200");
  }

  @Test
  void aShutDownWorker_isNeitherReadyNorLive() throws Exception {
    startWorker();
    assertThat(get("/health/live")).startsWith("200");

    worker.close();

    String down = "503 {\"status\":\"DOWN\",\"reason\":\"worker is shut down\"}";
    assertThat(get("/health/ready")).isEqualTo(down);
    assertThat(get("/health/live")).isEqualTo(down);
  }

  @Test
  void onlyGetOnTheExactPaths() throws Exception {
    assertThat(get("/health/ready/more")).startsWith("404");
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(url("/health/live"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  private void startWorker() {
    PollerHealth polls = new PollerHealth();
    connection =
        TemporalConnection.open(temporal.temporalConfig(), metrics.scope(), Tracing.off(), polls);
    worker = BreakglassWorker.start(connection.client(), temporal.temporalConfig(), List.of());
    metrics.serveHealth(new WorkerHealth(worker, polls));
  }

  private String get(String path) throws Exception {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + (response.body().isEmpty() ? "" : " " + response.body());
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + metrics.port() + path);
  }
}
