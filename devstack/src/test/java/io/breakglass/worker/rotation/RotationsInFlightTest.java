package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.worker.RotationsInFlight;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-flight gauges follow a rotation through Temporal's list of open executions: up at its
 * gate, past the gate's reminder once half its timeout has gone by, back to zero when it ends; an
 * unreachable Temporal reads as no value, never as zero.
 */
class RotationsInFlightTest {

  @RegisterExtension final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aRotationAtItsGate_countsInItsPhaseAndGate_andEveryGaugeFallsBackToZeroWhenItEnds(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationTests.startWorker(env, worker, new Testbed(root));
    RotationsInFlight inFlight = new RotationsInFlight(client, new TemporalClock(env));
    inFlight.bindTo(registry);
    inFlight.refresh();
    assertThat(total("breakglass_rotations_in_flight")).isZero();
    assertThat(total("breakglass_gates_waiting")).isZero();

    RotationTests.start(
        client, options, RotationTests.emergency("in-flight-1", ARTIFACT_KEY, PAYLOAD_KEY));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              inFlight.refresh();
              assertThat(gauge("breakglass_gates_waiting", "gate", "PROCEED")).isEqualTo(1);
            });
    assertThat(gauge("breakglass_rotations_in_flight", "phase", Phase.GATE_PROCEED.name()))
        .isEqualTo(1);
    assertThat(total("breakglass_rotations_in_flight")).isEqualTo(1);
    // Negative control: the rotation waits at PROCEED, not at REVOKE.
    assertThat(gauge("breakglass_gates_waiting", "gate", "REVOKE")).isZero();
    // Its first reminder is at half the default 4-hour timeout: not yet, then just past it.
    assertThat(gauge("breakglass_gates_past_reminder", "gate", "PROCEED")).isZero();
    env.sleep(Duration.ofMinutes(110));
    inFlight.refresh();
    assertThat(gauge("breakglass_gates_past_reminder", "gate", "PROCEED")).isZero();
    env.sleep(Duration.ofMinutes(11));
    inFlight.refresh();
    assertThat(gauge("breakglass_gates_past_reminder", "gate", "PROCEED")).isEqualTo(1);
    assertThat(gauge("breakglass_gates_past_reminder", "gate", "REVOKE")).isZero();

    RotationStatus end;
    try (Operator operator =
        new Operator(client, "in-flight-1")
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .start()) {
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }
    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              inFlight.refresh();
              assertThat(total("breakglass_rotations_in_flight")).isZero();
            });
    assertThat(total("breakglass_gates_waiting")).isZero();
    assertThat(total("breakglass_gates_past_reminder")).isZero();
  }

  /** Negative control: when Temporal cannot be listed, the gauges say nothing rather than 0. */
  @Test
  void givenTemporalUnreachable_everyGaugeReadsNaN() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + closedPort)
                .setRpcTimeout(Duration.ofSeconds(2))
                .build());
    try {
      RotationsInFlight inFlight =
          new RotationsInFlight(
              WorkflowClient.newInstance(stubs, WorkflowClientOptions.getDefaultInstance()));
      inFlight.bindTo(registry);
      inFlight.refresh();
      assertThat(gauge("breakglass_rotations_in_flight", "phase", Phase.PLAN.name())).isNaN();
      assertThat(gauge("breakglass_gates_waiting", "gate", "PROCEED")).isNaN();
      assertThat(gauge("breakglass_gates_past_reminder", "gate", "PROCEED")).isNaN();
    } finally {
      stubs.shutdownNow();
    }
  }

  private double gauge(String name, String tag, String value) {
    Gauge gauge = registry.find(name).tag(tag, value).gauge();
    assertThat(gauge).as(name + "{" + tag + "=" + value + "}").isNotNull();
    return gauge.value();
  }

  private double total(String name) {
    return registry.find(name).gauges().stream().mapToDouble(Gauge::value).sum();
  }
}
