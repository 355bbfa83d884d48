package io.breakglass.workflows;

import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.RotationResult;
import io.breakglass.workflows.messages.values.RotationKind;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * The ROUTINE rotation of one secret that the routine timer or a schedule's firing runs as its
 * child, started by {@link RoutineRotationWorkflow#SCHEDULER}: only a Breakglass workflow can be
 * its parent, which is what lets it start without an initiator proof.
 */
final class RoutineRotationChild {

  private RoutineRotationChild() {}

  /**
   * Runs rotation {@code rotationId} of {@code secret} to its end.
   *
   * @throws ChildWorkflowFailure when the rotation did not complete
   */
  static RotationResult run(String rotationId, String secret, String reason) {
    RotationWorkflow rotation =
        Workflow.newChildWorkflowStub(
            RotationWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(RotationWorkflow.workflowId(rotationId))
                // The rotation must outlive its parent if an operator terminates the parent.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build());
    return rotation.rotate(
        new RotationRequest(
            rotationId,
            List.of(secret),
            RotationKind.ROUTINE,
            RoutineRotationWorkflow.SCHEDULER,
            reason,
            null,
            null));
  }
}
