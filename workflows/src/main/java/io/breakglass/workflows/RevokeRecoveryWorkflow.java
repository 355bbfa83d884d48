package io.breakglass.workflows;

import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RecoveryRequest;
import io.breakglass.workflows.messages.commands.Rejection;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RecoveryResult;
import io.breakglass.workflows.messages.queries.RecoveryStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The way back after REVOKE: makes the version of one secret that a completed rotation revoked
 * usable again (decrypt-only, never CURRENT), within {@code policy.revokeRecoveryWindow} of the
 * revoke and only after the approvals the rotation's REVOKE gate took. Steps:
 *
 * <ol>
 *   <li>reads the rotation's stored record ({@code NOT_RECOVERABLE} when there is nothing to bring
 *       back) and checks the window ({@code RECOVERY_WINDOW_CLOSED}); nothing changes on either;
 *   <li>opens the gate (named {@code REVOKE}), whose two-person rule is the rotation's: the
 *       initiator never approves, one person counts once; a rejection ({@code GATE_REJECTED}), a
 *       timeout ({@code GATE_TIMED_OUT}) or the window closing ({@code RECOVERY_WINDOW_CLOSED})
 *       ends it with nothing changed;
 *   <li>un-revokes the version in the secret store, puts it back decrypt-only in the keyring of
 *       every deployment that reads the secret and restarts them; a failed step escalates and waits
 *       for {@code resume} RETRY, as REVOKE does.
 * </ol>
 *
 * <p>Every step is an entry of the rotation's own stored timeline, after its CLOSE; the rotation's
 * workflow, result and record stay as they were. Workflow type {@code RevokeRecoveryWorkflow}, task
 * queue {@value RotationWorkflow#TASK_QUEUE}, workflow id {@code unrevoke-<rotationId>} (enforced):
 * one way back per rotation runs at a time, because its entries continue the rotation's timeline.
 */
@WorkflowInterface
public interface RevokeRecoveryWorkflow {

  /** The workflow id of the way back of a rotation's REVOKE. */
  static String workflowId(String rotationId) {
    return "unrevoke-" + rotationId;
  }

  /** Runs the way back to its end; returns the summary when the version is usable again. */
  @WorkflowMethod
  RecoveryResult recover(RecoveryRequest request);

  /** One approver's yes (gate {@code REVOKE}); refusals are listed in {@link #status()}. */
  @SignalMethod
  void approve(Approval approval);

  /** Ends the way back at its gate; nothing changes. */
  @SignalMethod
  void reject(Rejection rejection);

  /** An operator's report on a restart the manual deployment target asked for. */
  @SignalMethod
  void confirmRestart(RestartConfirmation confirmation);

  /** Answers a failed step with RETRY. */
  @SignalMethod
  void resume(Resume resume);

  /** Approves or rejects the gate and answers with the gate as it now stands. */
  @UpdateMethod
  GateView decide(GateDecision decision);

  /** Refuses a decision that breaks a gate rule with {@code DECISION_REFUSED} and the reason. */
  @UpdateValidatorMethod(updateName = "decide")
  void validateDecide(GateDecision decision);

  /** State, the version, the window, the gate, what it waits for, and its timeline entries. */
  @QueryMethod
  RecoveryStatus status();
}
