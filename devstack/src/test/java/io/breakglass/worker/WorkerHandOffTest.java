package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker dies in the middle of a workflow and another one takes over: on the Java test server a
 * workflow hangs on the dead worker's sticky queue unless sticky execution is off (see {@code
 * TemporalConfig.disableStickyExecution}). The first worker's activity never answers; the worker is
 * stopped with {@code shutdownNow} and its connection closed, so the server sees what it sees when
 * a pod is killed.
 */
class WorkerHandOffTest {

  /** How long the workflow gets to finish once the second worker has done the activity. */
  private static final long FINISH_WITHIN_SECONDS = 8;

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private EmbeddedTemporal temporal;

  @BeforeEach
  void startTemporal() {
    temporal = EmbeddedTemporal.start(0);
  }

  @AfterEach
  void stopAll() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
    temporal.close();
  }

  @Test
  void givenStickyExecutionOff_whenTheFirstWorkerDiesMidWorkflow_aSecondWorkerFinishesIt()
      throws Exception {
    TemporalConfig config = temporal.temporalConfig();
    assertThat(config.disableStickyExecution()).isTrue();
    ProbeActivity second = ProbeActivity.answering("second");

    WorkflowStub workflow = handOff(config, second);

    assertThat(workflow.getResult(FINISH_WITHIN_SECONDS, TimeUnit.SECONDS, String.class))
        .isEqualTo("hand-off by second");
  }

  /**
   * Negative control: with sticky execution on, the activity is retried on the second worker, but
   * the next workflow task waits on the dead worker's sticky queue, which the test server never
   * gives up on.
   */
  @Test
  void givenStickyExecutionOn_whenTheFirstWorkerDies_theWorkflowWaitsOnTheDeadWorkersQueue()
      throws Exception {
    TemporalConfig config = TemporalConfig.plaintext(temporal.target());
    assertThat(config.disableStickyExecution()).isFalse();
    ProbeActivity second = ProbeActivity.answering("second");

    WorkflowStub workflow = handOff(config, second);

    assertThatThrownBy(
            () -> workflow.getResult(FINISH_WITHIN_SECONDS, TimeUnit.SECONDS, String.class))
        .isInstanceOf(TimeoutException.class);
    assertThat(second.completions()).isEqualTo(1);
  }

  /** Starts the workflow on a first worker, kills it mid-activity, starts a second one. */
  private WorkflowStub handOff(TemporalConfig config, ProbeActivity second) throws Exception {
    TemporalConnection starter = open(config);
    WorkflowStub workflow =
        starter
            .client()
            .newUntypedWorkflowStub(
                "ProbeWorkflow",
                WorkflowOptions.newBuilder()
                    .setTaskQueue(config.taskQueue())
                    .setWorkflowId("hand-off")
                    .build());

    ProbeActivity first = ProbeActivity.blocking("first");
    TemporalConnection firstConnection = TemporalConnection.open(config);
    BreakglassWorker firstWorker = startWorker(firstConnection, config, first);
    workflow.start("hand-off");
    assertThat(first.awaitStarted(Duration.ofSeconds(20))).isTrue();
    firstWorker.shutdownNow();
    firstConnection.close();

    resources.push(startWorker(open(config), config, second));
    // The lost attempt is retried once its 3 s start-to-close timeout has passed.
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> second.completions() == 1);
    return workflow;
  }

  private TemporalConnection open(TemporalConfig config) {
    TemporalConnection connection = TemporalConnection.open(config);
    resources.push(connection);
    return connection;
  }

  private static BreakglassWorker startWorker(
      TemporalConnection connection, TemporalConfig config, ProbeActivity activity) {
    return BreakglassWorker.start(
        connection.client(), config, List.of(ProbeWorkflowImpl.class), List.of(activity));
  }
}
