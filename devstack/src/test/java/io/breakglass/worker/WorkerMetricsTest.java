package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

  private static final MetricsConfig LOOPBACK_ANY_PORT = new MetricsConfig(null, 0);

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void givenAWorkflowRan_theEndpointServesTheTemporalSdkMetrics() {
    try (WorkerMetrics metrics = WorkerMetrics.start(LOOPBACK_ANY_PORT);
        EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      TemporalConfig config = temporal.temporalConfig();
      try (TemporalConnection connection = TemporalConnection.open(config, metrics.scope());
          BreakglassWorker worker =
              BreakglassWorker.start(
                  connection.client(),
                  config,
                  List.of(ProbeWorkflowImpl.class),
                  List.of(ProbeActivity.answering("metrics")))) {
        connection
            .client()
            .newWorkflowStub(
                ProbeWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(worker.taskQueue())
                    .setWorkflowId("probe-metrics")
                    .build())
            .run("ping");

        // The SDK's Tally scope reports into the registry once a second.
        await()
            .dontCatchUncaughtExceptions()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(
                () ->
                    assertThat(get(metrics.endpoint()).body())
                        .containsPattern(
                            "(?m)^temporal_workflow_completed_total\\{[^}]*"
                                + "workflow_type=\"ProbeWorkflow\"[^}]*} 1")
                        .containsPattern("(?m)^temporal_activity_execution_latency_seconds"));
      }
    }
  }

  /** Negative control: before any Temporal client reports, there is no temporal_ series. */
  @Test
  void givenNoTemporalClient_theEndpointServesJvmMetricsOnly() throws Exception {
    try (WorkerMetrics metrics = WorkerMetrics.start(LOOPBACK_ANY_PORT)) {
      HttpResponse<String> response = get(metrics.endpoint());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(response.body())
          .contains("jvm_memory_used_bytes")
          .doesNotContainPattern("(?m)^temporal_");
    }
  }

  @Test
  void givenAnotherPathOrMethod_itAnswers404Or405() throws Exception {
    try (WorkerMetrics metrics = WorkerMetrics.start(LOOPBACK_ANY_PORT)) {
      URI other = metrics.endpoint().resolve("/metricsx");
      HttpRequest post =
          HttpRequest.newBuilder(metrics.endpoint())
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();

      assertThat(get(other).statusCode()).isEqualTo(404);
      assertThat(http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(405);
    }
  }

  @Test
  void givenPortZero_itServesOnAFreeLoopbackPortOnly() {
    try (WorkerMetrics metrics = WorkerMetrics.start(LOOPBACK_ANY_PORT)) {
      assertThat(metrics.port()).isPositive();
      assertThat(metrics.endpoint())
          .isEqualTo(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"));
      assertThat(ThisMachine.accepts(InetAddress.getLoopbackAddress(), metrics.port())).isTrue();
      Optional<InetAddress> external = ThisMachine.nonLoopbackAddress();
      assumeTrue(external.isPresent(), "this machine has no non-loopback address to probe from");
      assertThat(ThisMachine.accepts(external.get(), metrics.port())).isFalse();
    }
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
