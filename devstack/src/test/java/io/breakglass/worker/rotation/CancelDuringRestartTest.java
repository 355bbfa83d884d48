package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.activities.DeploymentActivities;
import io.breakglass.workflows.messages.queries.CompensationState;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkflowImplementationOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel while DISTRIBUTE's restart is rolling out ({@link HeldRestart}), after the operator
 * already confirmed it: the restart learns of the cancel at its next heartbeat and stops, and only
 * then does the rollback publish the old keyring and restart again, a restart the operator must
 * confirm anew. Heartbeats are sent at once here ({@link CancelInFlight#quickHeartbeats()}); with
 * the default throttle a restart learns of a cancel within 0.8 of its 20 s heartbeat timeout.
 */
class CancelDuringRestartTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      RotationTests.builder(WorkflowImplementationOptions.getDefaultInstance())
          .setWorkerOptions(CancelInFlight.quickHeartbeats())
          .build();

  @TempDir Path root;

  @Test
  void cancellingWhileARestartRollsOut_endsItAtItsHeartbeat_thenRollsBack(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    HeldRestart deployments =
        new HeldRestart(
            (DeploymentActivities) RotationTests.real(testbed, DeploymentActivities.class));
    RotationTests.startWorker(env, worker, testbed, deployments);
    Map<String, String> before = testbed.plaintextDigests();

    CancelInFlight.Outcome outcome =
        CancelInFlight.run(
            client, options, deployments.held, "cancel-rollout", CancelInFlight::restartConfirmed);

    // The operator confirmed the forward restart while it was in flight; that confirmation must not
    // count for the rollback's restart, which needs one of its own.
    List<TimelineEntry> timeline = outcome.end().timeline();
    int rollbackStart =
        timeline.stream()
            .filter(e -> e.detail().startsWith("rolling back after"))
            .findFirst()
            .orElseThrow()
            .seq();
    assertThat(timeline)
        .filteredOn(e -> e.outcome() == TimelineOutcome.CONFIRMED && e.seq() < rollbackStart)
        .as("early confirmations of the forward restart")
        .isNotEmpty();
    assertThat(timeline)
        .filteredOn(e -> e.outcome() == TimelineOutcome.CONFIRMED && e.seq() > rollbackStart)
        .as("the rollback's restart confirmed after it was asked for")
        .isNotEmpty();
    assertThat(outcome.compensatedInFlight())
        .as("keyring rolled back while the restart rolled out")
        .isFalse();
    assertThat(outcome.failure().getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(outcome.end().state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(outcome.end().compensations())
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
    OldVersions.assertRestored(
        testbed, "cancel-rollout", List.of(ARTIFACT_KEY, PAYLOAD_KEY), before);
  }
}
