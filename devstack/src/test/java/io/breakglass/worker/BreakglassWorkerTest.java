package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.workflows.RoutineRotationWorkflow;
import io.breakglass.workflows.RoutineSchedule;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.values.RotationKind;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BreakglassWorkerTest {

  private EmbeddedTemporal temporal;
  private TemporalConnection connection;

  @BeforeEach
  void start() {
    temporal = EmbeddedTemporal.start(0);
    connection = TemporalConnection.open(temporal.temporalConfig());
  }

  @AfterEach
  void stop() {
    connection.close();
    temporal.close();
  }

  @Test
  void givenTheBreakglassWorker_itRunsTheRotationWorkflow() {
    TemporalConfig config = temporal.temporalConfig();
    try (BreakglassWorker worker = BreakglassWorker.start(client(), config, List.of())) {
      WorkflowStub rotation =
          client()
              .newUntypedWorkflowStub(
                  "RotationWorkflow",
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(worker.taskQueue())
                      .setWorkflowId("not-a-rotation-id")
                      .build());
      rotation.start(
          new RotationRequest(
              "r1", List.of("jwt"), RotationKind.EMERGENCY, "alice", "test", null, null));

      // The workflow's own first check answers, so its code ran on this worker.
      assertThatThrownBy(() -> rotation.getResult(20, TimeUnit.SECONDS, Object.class))
          .isInstanceOf(WorkflowFailedException.class)
          .cause()
          .isInstanceOf(ApplicationFailure.class)
          .hasMessageContaining("the workflow id must be rotation-r1, not not-a-rotation-id");
    }
  }

  @Test
  void givenTheBreakglassWorker_itRunsTheRoutineRotationWorkflow() {
    TemporalConfig config = temporal.temporalConfig();
    RoutineSchedule schedule =
        new RoutineSchedule("jwt", Instant.now().plus(Duration.ofDays(90)), "r1");
    try (BreakglassWorker worker = BreakglassWorker.start(client(), config, List.of())) {
      RoutineRotationWorkflow routine =
          client()
              .newWorkflowStub(
                  RoutineRotationWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(worker.taskQueue())
                      .setWorkflowId(RoutineRotationWorkflow.workflowId("jwt"))
                      .build());
      WorkflowClient.start(routine::run, schedule);

      // A query is answered by a worker that hosts the type.
      assertThat(routine.schedule()).isEqualTo(schedule);
    }
  }

  @Test
  void givenAGracePeriod_whenClosedMidActivity_theActivityFinishesBeforeTheWorkerStops()
      throws Exception {
    TemporalConfig config = withGrace(Duration.ofSeconds(20));
    ProbeActivity first = ProbeActivity.taking("first", Duration.ofSeconds(2));
    BreakglassWorker firstWorker = startProbeWorker(config, first);
    WorkflowStub workflow = startProbe(config, "graceful");
    assertThat(first.awaitStarted(Duration.ofSeconds(20))).isTrue();

    firstWorker.close();

    assertThat(first.completions()).isEqualTo(1);
    BreakglassWorker second = startProbeWorker(config, ProbeActivity.answering("second"));
    try {
      // The first worker's answer was recorded: the activity is not run again.
      assertThat(workflow.getResult(20, TimeUnit.SECONDS, String.class))
          .isEqualTo("graceful by first");
    } finally {
      second.close();
    }
  }

  @Test
  void givenAnActivityThatOutlastsTheGrace_closeInterruptsItAndReturns() throws Exception {
    TemporalConfig config = withGrace(Duration.ofSeconds(1));
    ProbeActivity first = ProbeActivity.blocking("first");
    BreakglassWorker firstWorker = startProbeWorker(config, first);
    WorkflowStub workflow = startProbe(config, "impatient");
    assertThat(first.awaitStarted(Duration.ofSeconds(20))).isTrue();

    long started = System.nanoTime();
    firstWorker.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(first.completions()).isZero();
    BreakglassWorker second = startProbeWorker(config, ProbeActivity.answering("second"));
    try {
      assertThat(workflow.getResult(20, TimeUnit.SECONDS, String.class))
          .isEqualTo("impatient by second");
    } finally {
      second.close();
    }
  }

  @Test
  void givenStickyExecutionDisabled_workflowTasksCarryNoStickyQueue() {
    TemporalConfig sticky = TemporalConfig.plaintext("127.0.0.1:7233");

    // As the factory applies them: the SDK fills in defaults when it creates the worker.
    assertThat(effective(sticky).getStickyQueueScheduleToStartTimeout())
        .isEqualTo(Duration.ofSeconds(5));
    WorkerOptions disabled = effective(sticky.withStickyExecutionDisabled());
    assertThat(disabled.getStickyQueueScheduleToStartTimeout()).isZero();
  }

  @Test
  void givenAnActivityLimit_theWorkerOptionsCarryIt() {
    TemporalConfig config = new TemporalConfig(null, null, null, null, false, null, 7, null);

    assertThat(effective(config).getMaxConcurrentActivityExecutionSize()).isEqualTo(7);
  }

  private static WorkerOptions effective(TemporalConfig config) {
    return WorkerOptions.newBuilder(BreakglassWorker.workerOptions(config))
        .validateAndBuildWithDefaults();
  }

  private WorkflowClient client() {
    return connection.client();
  }

  private TemporalConfig withGrace(Duration grace) {
    return new TemporalConfig(temporal.target(), null, null, null, true, null, 0, grace);
  }

  private BreakglassWorker startProbeWorker(TemporalConfig config, ProbeActivity activity) {
    return BreakglassWorker.start(
        client(), config, List.of(ProbeWorkflowImpl.class), List.of(activity));
  }

  private WorkflowStub startProbe(TemporalConfig config, String input) {
    WorkflowStub workflow =
        client()
            .newUntypedWorkflowStub(
                "ProbeWorkflow",
                WorkflowOptions.newBuilder()
                    .setTaskQueue(config.taskQueue())
                    .setWorkflowId("probe-" + input)
                    .build());
    workflow.start(input);
    return workflow;
  }
}
