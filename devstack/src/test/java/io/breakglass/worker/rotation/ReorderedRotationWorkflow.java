package io.breakglass.worker.rotation;

import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.activities.PlanActivities;
import io.breakglass.workflows.activities.PlanActivities.PlanRequest;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.Halt;
import io.breakglass.workflows.messages.commands.Rejection;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RotationResult;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The negative control of the replay tests: a RotationWorkflow whose first step is PLAN's activity
 * instead of recording the timeline, as a careless reordering of phases would be. Replaying a real
 * history against it must fail with a NonDeterministicException.
 */
public class ReorderedRotationWorkflow implements RotationWorkflow {

  @Override
  public RotationResult rotate(RotationRequest request) {
    Workflow.newActivityStub(
            PlanActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build())
        .plan(new PlanRequest(request.rotationId(), request.secrets(), request.kind(), null, null));
    return null;
  }

  @Override
  public void approve(Approval approval) {}

  @Override
  public void reject(Rejection rejection) {}

  @Override
  public void halt(Halt halt) {}

  @Override
  public void resume(Resume resume) {}

  @Override
  public void confirmRestart(RestartConfirmation confirmation) {}

  @Override
  public void reportProgress(DataSetProgress progress) {}

  @Override
  public GateView decide(GateDecision decision) {
    return null;
  }

  @Override
  public void validateDecide(GateDecision decision) {}

  @Override
  public RotationStatus status() {
    return null;
  }
}
