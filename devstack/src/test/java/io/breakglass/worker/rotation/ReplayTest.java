package io.breakglass.worker.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.breakglass.workflows.BreakglassDataConverter;
import io.breakglass.workflows.ReencryptDataSetWorkflow;
import io.breakglass.workflows.ReencryptDataSetWorkflowImpl;
import io.breakglass.workflows.RotationWorkflowImpl;
import io.breakglass.workflows.VersionIds;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Today's RotationWorkflowImpl replays the histories recorded by the behaviour tests (happy path,
 * rejection, compensation, a metric watch) and the ones exported from the real Temporal server with
 * its CLI (a worker killed mid-REENCRYPT, {@code RealServerCrashTest}): a change that would break
 * rotations in flight fails here. Regenerate the histories only on purpose, with {@code
 * -Dbreakglass.regenerateHistories=true}.
 */
class ReplayTest {

  @ParameterizedTest
  @CsvSource({
    "happy-path, happy-1",
    "rejected-at-revoke, reject-revoke",
    "smoke-test-rolled-back, fail-smoke",
    "metric-watch-healthy, watch-healthy",
    "real-server-worker-killed, real-worker-killed"
  })
  void aRecordedHistory_replaysAgainstTodaysCode(String name, String rotationId) throws Exception {
    replay(Histories.load(name, rotationId), RotationWorkflowImpl.class);
  }

  @Test
  void aRecordedDataSetChild_replaysAgainstTodaysCode() throws Exception {
    replay(
        Histories.loadWorkflow("happy-path-reencrypt-snapshots", HappyPathTest.snapshotsChild()),
        ReencryptDataSetWorkflowImpl.class);
  }

  @Test
  void aDataSetChildExportedFromTheRealServer_replaysAgainstTodaysCode() throws Exception {
    replay(
        Histories.loadWorkflow(
            "real-server-worker-killed-reencrypt-snapshots",
            ReencryptDataSetWorkflow.workflowId(
                "real-worker-killed",
                Testbed.SNAPSHOTS,
                VersionIds.forRotation("real-worker-killed", Testbed.PAYLOAD_KEY))),
        ReencryptDataSetWorkflowImpl.class);
  }

  /** The last column is what the replayer names as differing from the history. */
  @ParameterizedTest
  @CsvSource({
    "happy-path, happy-1, activityType",
    "real-server-worker-killed, real-worker-killed, COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK"
  })
  void negativeControl_aReorderedWorkflow_failsReplayWithNonDeterministicException(
      String name, String rotationId, String mismatch) {
    Throwable failure =
        catchThrowable(
            () -> replay(Histories.load(name, rotationId), ReorderedRotationWorkflow.class));

    // The replayer reports the workflow's failure as text in a RuntimeException of its own.
    assertThat(failure)
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining(NonDeterministicException.class.getName())
        .hasMessageContaining(mismatch);
  }

  /** Replays with the data converter production uses. */
  private static void replay(WorkflowExecutionHistory history, Class<?> workflowType)
      throws Exception {
    try (TestWorkflowEnvironment environment =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(BreakglassDataConverter.create())
                        .build())
                .build())) {
      Worker worker = environment.newWorker("replay");
      worker.registerWorkflowImplementationTypes(workflowType);
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    }
  }
}
