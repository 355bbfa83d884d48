package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACTS;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static io.breakglass.worker.rotation.Testbed.SNAPSHOTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Breakglass's own metrics, emitted by the workflow and the re-encryption, as the registry sees
 * them.
 */
class RotationMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Scope scope =
      new RootScopeBuilder()
          .reporter(new MicrometerClientStatsReporter(registry))
          .reportEvery(com.uber.m3.util.Duration.ofMillis(100));

  @RegisterExtension final TestWorkflowExtension temporal = RotationTests.extension(scope);

  @TempDir Path root;

  @Test
  void aCompletedRotation_countsItsOutcome_phases_gateWaits_andEveryItemReencrypted(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    RotationTests.startWorker(env, worker, testbed);

    RotationStatus end =
        run(
            client,
            options,
            "metrics-1",
            new Operator(client, "metrics-1")
                .approves(GateName.PROCEED, "bob")
                .approves(GateName.REVOKE, "carol"));

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(count("breakglass_rotations", "outcome", "completed")).isEqualTo(1);
              assertThat(count("breakglass_items_reencrypted", "data_set", SNAPSHOTS))
                  .isEqualTo(Testbed.ROWS);
              assertThat(count("breakglass_items_reencrypted", "data_set", ARTIFACTS))
                  .isEqualTo(Testbed.FILES);
            });
    assertThat(registry.find("breakglass_rotations").tag("outcome", "rolled_back").counter())
        .isNull();
    assertThat(registry.find("breakglass_compensations").counter()).isNull();
    assertThat(timer("breakglass_phase_duration", "phase", "REENCRYPT").count()).isEqualTo(1);
    assertThat(timer("breakglass_phase_duration", "phase", "CLOSE").count()).isEqualTo(1);
    assertThat(timer("breakglass_gate_wait", "gate", "PROCEED").count()).isEqualTo(1);
    assertThat(timer("breakglass_gate_wait", "gate", "REVOKE").count()).isEqualTo(1);
    Gauge speed =
        registry.find("breakglass_reencrypt_items_per_second").tag("data_set", SNAPSHOTS).gauge();
    assertThat(speed).isNotNull();
    assertThat(speed.value()).isPositive();
  }

  /**
   * Negative control: a rotation rejected at the revoke gate counts as rolled back, never
   * completed.
   */
  @Test
  void aRotationRejectedAtTheRevokeGate_countsRolledBack_andItsCompensations(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    RotationTests.startWorker(env, worker, testbed);

    RotationStatus end =
        run(
            client,
            options,
            "metrics-2",
            new Operator(client, "metrics-2")
                .approves(GateName.PROCEED, "bob")
                .rejects(GateName.REVOKE, "carol")
                .decides(ResumeAction.ROLLBACK));

    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(count("breakglass_rotations", "outcome", "rolled_back")).isEqualTo(1);
              assertThat(
                      registry.find("breakglass_compensations").counters().stream()
                          .mapToDouble(Counter::count)
                          .sum())
                  .isEqualTo(end.compensations().size());
            });
    assertThat(registry.find("breakglass_rotations").tag("outcome", "completed").counter())
        .isNull();
    assertThat(count("breakglass_compensations", "phase", "PROMOTE")).isPositive();
  }

  private static RotationStatus run(
      WorkflowClient client, WorkflowOptions options, String rotationId, Operator configured)
      throws Exception {
    RotationTests.start(
        client, options, RotationTests.emergency(rotationId, ARTIFACT_KEY, PAYLOAD_KEY));
    try (Operator operator = configured.start()) {
      return operator.awaitEnd(Duration.ofMinutes(2));
    }
  }

  private double count(String name, String tag, String value) {
    Counter counter = registry.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  private Timer timer(String name, String tag, String value) {
    Timer timer = registry.find(name).tag(tag, value).timer();
    assertThat(timer).as(name + "{" + tag + "=" + value + "}").isNotNull();
    return timer;
  }
}
