package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.workflows.VersionIds;
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
 * The negative control of {@link CancellationAndHaltTest}'s cancel during CREATE_VERSION: the same
 * scenario with createVersion's cancellation type put back to the SDK's default, {@code
 * TRY_CANCEL} (activity options given at workflow registration override the stub's). The discard
 * then runs while the version is being created, and the version stays PENDING although the
 * rotation reports a clean rollback. It shows that the scenario catches the race, and that waiting
 * for the cancellation to complete is what closes it.
 */
class CancelWithoutWaitingTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      RotationTests.extension(
          WorkflowImplementationOptions.newBuilder()
              .setActivityOptions(
                  Map.of(
                      "CreateVersion",
                      ActivityOptions.newBuilder()
                          .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                          .build()))
              .build());

  @TempDir Path root;

  @Test
  void withTryCancel_theDiscardRunsWhileTheVersionIsCreated_andLeavesItPending(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root);
    HeldCreateVersion secrets =
        new HeldCreateVersion((SecretActivities) RotationTests.real(testbed, SecretActivities.class));
    RotationTests.startWorker(env, worker, testbed, secrets);
    Map<String, String> before = testbed.plaintextDigests();

    CancelDuringCreateVersion.Outcome outcome =
        CancelDuringCreateVersion.run(client, options, secrets, "cancel-race");

    SecretVersion created =
        testbed
            .state(outcome.heldSecret())
            .version(VersionIds.forRotation("cancel-race", outcome.heldSecret()))
            .orElseThrow();
    assertThat(outcome.discardedWhileCreating()).isTrue();
    assertThat(created.status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(created.labels()).containsExactly(Label.PENDING);
    assertThatThrownBy(
            () -> OldVersions.assertRestored(testbed, "cancel-race", List.of(ARTIFACT_KEY, PAYLOAD_KEY), before))
        .isInstanceOf(AssertionError.class);
    assertThat(outcome.end().state()).as("what the rotation believes").isEqualTo(RotationState.ROLLED_BACK);
  }
}
