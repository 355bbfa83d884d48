package io.breakglass.api.core;

import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.Halt;
import io.breakglass.workflows.messages.commands.Rejection;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.ApprovalView;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RotationResult;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in RotationWorkflow whose PROCEED gate is always open and whose Update validator refuses
 * every decision by {@value #REFUSED}: the case the API's own pre-check lets through and only the
 * workflow catches.
 */
public final class ScriptedRotation implements RotationWorkflow {

  public static final String REFUSED = "mallet";
  public static final String REASON = "the workflow refuses mallet: not on the approver list";

  private final List<ApprovalView> approvals = new ArrayList<>();
  private String initiator;

  @Override
  public RotationResult rotate(RotationRequest request) {
    initiator = request.initiator();
    Workflow.await(() -> false);
    return null;
  }

  @Override
  public void validateDecide(GateDecision decision) {
    if (REFUSED.equals(decision.actor())) {
      throw RotationErrors.DECISION_REFUSED.failure(REASON);
    }
  }

  @Override
  public GateView decide(GateDecision decision) {
    String comment =
        decision.overridePreflight()
            ? "[overrides the pre-flight] " + decision.comment()
            : decision.comment();
    approvals.add(new ApprovalView(decision.actor(), comment, null));
    return gate();
  }

  @Override
  public RotationStatus status() {
    return new RotationStatus(
        "scripted",
        RotationKind.EMERGENCY,
        initiator,
        List.of("jwt"),
        Phase.GATE_PROCEED,
        RotationState.AWAITING_APPROVAL,
        gate(),
        List.of(gate()),
        null,
        List.of(),
        List.<DataSetProgress>of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        null);
  }

  private GateView gate() {
    return new GateView(
        GateName.PROCEED, GateState.OPEN, 2, List.copyOf(approvals), null, null, null, null);
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
}
