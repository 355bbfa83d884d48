package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RequestAndTargetTest {

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void badRequests_failAtOnceWithInvalidRequest_andChangeNothing(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker) {
    Testbed testbed = new Testbed(root);
    RotationTests.startWorker(env, worker, testbed);

    assertThat(
            failure(client, options, "Bad_Id", request("Bad_Id", List.of(ARTIFACT_KEY), "alice")))
        .contains("rotationId must be");
    assertThat(
            failure(
                client, options, "other-id", request("good-id", List.of(ARTIFACT_KEY), "alice")))
        .contains("the workflow id must be rotation-good-id");
    assertThat(failure(client, options, "no-secrets", request("no-secrets", List.of(), "alice")))
        .contains("secrets must name at least one secret");
    assertThat(
            failure(
                client,
                options,
                "no-initiator",
                request("no-initiator", List.of(ARTIFACT_KEY), " ")))
        .contains("initiator is required");
    assertThat(
            failure(
                client,
                options,
                "too-few",
                new RotationRequest(
                    "too-few",
                    List.of(ARTIFACT_KEY),
                    RotationKind.EMERGENCY,
                    "alice",
                    "x",
                    0,
                    null)))
        .contains("requiredApprovals must be at least 1");
    assertThat(testbed.history().list(10)).as("nothing recorded, nothing changed").isEmpty();
    assertThat(testbed.current(ARTIFACT_KEY).versionId())
        .isEqualTo(testbed.initialVersion(ARTIFACT_KEY));
  }

  @Test
  void anUnknownSecret_isRefusedByPlanWithItsName(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker) {
    Testbed testbed = new Testbed(root);
    RotationTests.startWorker(env, worker, testbed);

    WorkflowStub stub =
        RotationTests.start(client, options, request("unknown", List.of("stripe"), "alice"));
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(Object.class));

    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(RotationErrors.UNKNOWN_SECRET.name());
    assertThat(failure.getOriginalMessage()).contains("secret stripe is not configured");
  }

  @Test
  void aDeploymentWithTargetNone_isRecordedAsSkippedWithTheReason(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = new Testbed(root, DeploymentTargetType.NONE);
    RotationTests.startWorker(env, worker, testbed);

    RotationTests.start(client, options, RotationTests.emergency("none-target", ARTIFACT_KEY));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "none-target")
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .start()) {
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(end.timeline())
        .filteredOn(e -> e.phase() == Phase.DISTRIBUTE)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(TimelineOutcome.SKIPPED);
              assertThat(e.detail())
                  .isEqualTo("no deployment with a rollout target reads the rotated secrets");
            });
    assertThat(testbed.keyringFile()).as("nothing published").isEmpty();
    assertThat(
            testbed.scan(Testbed.ARTIFACTS).itemsUnder(testbed.currentKey(ARTIFACT_KEY).toString()))
        .isEqualTo(Testbed.FILES);
  }

  private static RotationRequest request(
      String rotationId, List<String> secrets, String initiator) {
    return new RotationRequest(
        rotationId, secrets, RotationKind.EMERGENCY, initiator, "test", null, null);
  }

  /**
   * Starts under workflow id rotation-{@code workflowSuffix}; returns the INVALID_REQUEST message.
   */
  private static String failure(
      WorkflowClient client,
      WorkflowOptions options,
      String workflowSuffix,
      RotationRequest request) {
    RotationWorkflow rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder(options)
                .setWorkflowId(RotationWorkflow.workflowId(workflowSuffix))
                .build());
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> rotation.rotate(request));
    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(RotationErrors.INVALID_REQUEST.name());
    assertThat(failure.isNonRetryable()).isTrue();
    return failure.getOriginalMessage();
  }
}
