package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.DeploymentActivities;
import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
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
 * The negative controls of the cancel-in-flight tests ({@code CancellationAndHaltTest}, {@link
 * CancelDuringRestartTest}): the same scenarios with createVersion and restart put back to the
 * SDK's default cancellation type, {@code TRY_CANCEL} (activity options given at workflow
 * registration override the stub's). The compensation then runs while the forward call is still in
 * flight, and the rotation reports a clean rollback that is not one. They show that the scenarios
 * catch the race, and that waiting for the cancellation to complete is what closes it.
 */
class CancelWithoutWaitingTest {

  private static final ActivityOptions TRY_CANCEL =
      ActivityOptions.newBuilder().setCancellationType(ActivityCancellationType.TRY_CANCEL).build();

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      RotationTests.builder(
              WorkflowImplementationOptions.newBuilder()
                  .setActivityOptions(Map.of("CreateVersion", TRY_CANCEL, "Restart", TRY_CANCEL))
                  .build())
          .setWorkerOptions(CancelInFlight.quickHeartbeats())
          .build();

  @TempDir Path root;

  @Test
  void withTryCancel_theDiscardRunsWhileTheVersionIsCreated_andLeavesItPending(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    HeldCreateVersion secrets =
        new HeldCreateVersion(
            (SecretActivities) RotationTests.real(testbed, SecretActivities.class));
    RotationTests.startWorker(env, worker, testbed, secrets);
    Map<String, String> before = testbed.plaintextDigests();

    CancelInFlight.Outcome outcome =
        CancelInFlight.run(client, options, secrets.held, "cancel-race");

    SecretVersion created =
        testbed
            .state(secrets.heldSecret())
            .version(VersionIds.forRotation("cancel-race", secrets.heldSecret()))
            .orElseThrow();
    assertThat(outcome.compensatedInFlight()).isTrue();
    assertThat(created.status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(created.labels()).containsExactly(Label.PENDING);
    assertThatThrownBy(
            () ->
                OldVersions.assertRestored(
                    testbed, "cancel-race", List.of(ARTIFACT_KEY, PAYLOAD_KEY), before))
        .isInstanceOf(AssertionError.class);
    assertThat(outcome.end().state())
        .as("what the rotation believes")
        .isEqualTo(RotationState.ROLLED_BACK);
  }

  @Test
  void withTryCancel_theKeyringIsRolledBackWhileTheRestartStillRollsOut(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    HeldRestart deployments =
        new HeldRestart(
            (DeploymentActivities) RotationTests.real(testbed, DeploymentActivities.class));
    RotationTests.startWorker(env, worker, testbed, deployments);

    CancelInFlight.Outcome outcome =
        CancelInFlight.run(
            client,
            options,
            deployments.held,
            "cancel-rollout-race",
            CancelInFlight::restartConfirmed);

    assertThat(outcome.compensatedInFlight()).isTrue();
    assertThat(outcome.end().state())
        .as("what the rotation believes")
        .isEqualTo(RotationState.ROLLED_BACK);
  }
}
