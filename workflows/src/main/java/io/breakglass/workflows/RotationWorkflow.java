package io.breakglass.workflows;

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
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The broken-glass runbook as a durable workflow: PLAN, NOTIFY, BACKUP, gate, CREATE_VERSION,
 * DISTRIBUTE, PROMOTE, REENCRYPT, VERIFY_DATA, SMOKE_TEST, METRIC_WATCH, gate, REVOKE, CLOSE. Any
 * failure before REVOKE runs the registered compensations in reverse and fails the workflow with an
 * {@code ApplicationFailure} whose type is a {@link RotationErrors} name.
 *
 * <p>Workflow type {@code RotationWorkflow}, task queue {@value #TASK_QUEUE}, workflow id {@code
 * rotation-<rotationId>} (enforced: another id is refused). Every signal, update and query takes or
 * returns one JSON-friendly record.
 */
@WorkflowInterface
public interface RotationWorkflow {

  /** The task queue every Breakglass worker polls. */
  String TASK_QUEUE = "breakglass-rotation";

  /** The workflow id of a rotation: one running workflow per rotation id. */
  static String workflowId(String rotationId) {
    return "rotation-" + rotationId;
  }

  /** Runs the rotation to its end; returns the summary when it completed. */
  @WorkflowMethod
  RotationResult rotate(RotationRequest request);

  /** One approver's yes for the open gate; refusals are listed in {@link #status()}. */
  @SignalMethod
  void approve(Approval approval);

  /** Stops the rotation at the open gate; the compensations run. */
  @SignalMethod
  void reject(Rejection rejection);

  /** Finish the step in flight, start nothing new, wait for {@link #resume}. */
  @SignalMethod
  void halt(Halt halt);

  /** The human decision a halted rotation waits for. */
  @SignalMethod
  void resume(Resume resume);

  /** An operator's report on a restart the manual deployment target asked for. */
  @SignalMethod
  void confirmRestart(RestartConfirmation confirmation);

  /** Progress of a data set, from the child workflow that re-encrypts it. */
  @SignalMethod
  void reportProgress(DataSetProgress progress);

  /** Approves or rejects the open gate and answers with the gate as it now stands. */
  @UpdateMethod
  GateView decide(GateDecision decision);

  /**
   * Refuses a decision that breaks a gate rule (gate not open, initiator approving, approving
   * twice, no actor) with an {@code ApplicationFailure} of type {@code DECISION_REFUSED}.
   */
  @UpdateValidatorMethod(updateName = "decide")
  void validateDecide(GateDecision decision);

  /** Phase, pending gate, approvals, progress, compensations and the timeline. */
  @QueryMethod
  RotationStatus status();
}
