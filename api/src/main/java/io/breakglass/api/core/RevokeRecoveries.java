package io.breakglass.api.core;

import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.recovery.RecoveryRefusal;
import io.breakglass.activities.recovery.StoredRevoke;
import io.breakglass.api.auth.Caller;
import io.breakglass.api.wire.Ids;
import io.breakglass.api.wire.RecoveryStarted;
import io.breakglass.workflows.RevokeRecoveryWorkflow;
import io.breakglass.workflows.approval.PersonNames;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RecoveryRequest;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RecoveryStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.Verdict;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;

/**
 * The way back after REVOKE, for operators: asks for an un-revoke ({@code RevokeRecoveryWorkflow},
 * workflow id {@code unrevoke-<rotationId>}), reads it, decides its gate and answers what it waits
 * for. What the audit store can tell (the rotation completed, rotated the secret, revoked within
 * the window) is checked before the start, so a refused request starts nothing; the workflow checks
 * it all again, the secret store included. The caller is always the initiator, approver or actor.
 */
public final class RevokeRecoveries {

  private final WorkflowClient client;
  private final String taskQueue;
  private final RotationHistory history;
  private final RotationSettings settings;
  private final Clock clock;
  private final ProofCheck proofs;

  public RevokeRecoveries(
      WorkflowClient client,
      String taskQueue,
      RotationHistory history,
      RotationSettings settings,
      Clock clock,
      ProofCheck proofs) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.history = history;
    this.settings = settings;
    this.clock = clock;
    this.proofs = proofs;
  }

  /**
   * Starts the way back for {@code secret} of rotation {@code rotationId}: 404 for an unknown
   * rotation, 409 when there is nothing to bring back, the window has closed, or an un-revoke of
   * that rotation runs already. A finished one (rejected, timed out, completed) does not block a
   * new request; the workflow refuses a version that is not revoked any more.
   */
  public RecoveryStarted start(String rotationId, String secret, Caller caller, String reason) {
    checkId(rotationId);
    if (secret == null || !secret.matches(Ids.SECRET_NAME)) {
      throw new BadRequestException("secret names are letters, digits, '.', '_' and '-'");
    }
    StoredRevoke revoke = storedRevoke(rotationId, secret);
    Instant closes = revoke.revokedAt().plus(settings.policy().revokeRecoveryWindow());
    if (!clock.instant().isBefore(closes)) {
      throw conflict(
          "the way back for "
              + secret
              + " of rotation "
              + rotationId
              + " closed at "
              + closes
              + " (revokeRecoveryWindow "
              + settings.policy().revokeRecoveryWindow()
              + " after its REVOKE at "
              + revoke.revokedAt()
              + ")");
    }
    latest(rotationId)
        .filter(done -> done.state() == RotationState.COMPLETED && secret.equals(done.secret()))
        .ifPresent(
            done -> {
              throw conflict(
                  "version "
                      + done.versionId()
                      + " of "
                      + secret
                      + " is usable again already (the un-revoke "
                      + done.initiator()
                      + " asked for completed)");
            });
    String workflowId = RevokeRecoveryWorkflow.workflowId(rotationId);
    RevokeRecoveryWorkflow recovery =
        client.newWorkflowStub(
            RevokeRecoveryWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(taskQueue)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .build());
    RecoveryRequest request = new RecoveryRequest(rotationId, secret, caller.name(), reason);
    try {
      temporal(rotationId, () -> WorkflowClient.start(recovery::recover, request));
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw conflict(
          "an un-revoke of rotation "
              + rotationId
              + " runs already; one runs at a time (see GET /api/rotations/"
              + rotationId
              + "/unrevoke)");
    }
    return new RecoveryStarted(rotationId, secret, workflowId);
  }

  /** The status of the rotation's latest un-revoke; 404 when none was asked for. */
  public RecoveryStatus status(String rotationId) {
    checkId(rotationId);
    return latest(rotationId)
        .orElseThrow(
            () ->
                new NotFoundException("no un-revoke of rotation " + rotationId + " was asked for"));
  }

  /**
   * Approves or rejects the un-revoke's gate through the {@code decide} Update. The two-person rule
   * is checked here first (403 for the initiator, 409 for a second approval) and again by the
   * workflow's validator, whose refusal comes back as 409 with its reason. A proof is checked for
   * its subject and expiry and forwarded; what it must be bound to is the workflow's to say.
   */
  public GateView decide(
      String rotationId, Verdict verdict, Caller caller, String comment, String proof) {
    checkId(rotationId);
    proofs.check("proof", proof, caller, null);
    RecoveryStatus status = status(rotationId);
    if (verdict == Verdict.APPROVE && PersonNames.same(caller.name(), status.initiator())) {
      throw new ForbiddenException(
          "two-person rule: "
              + caller.name()
              + " asked for the un-revoke of rotation "
              + rotationId
              + " and may not approve it");
    }
    GateView gate = status.gate();
    if (gate == null || gate.state() != GateState.OPEN) {
      throw conflict(
          "the un-revoke of rotation "
              + rotationId
              + " waits for no approval (state "
              + status.state()
              + ")");
    }
    if (verdict == Verdict.APPROVE
        && gate.approvals().stream().anyMatch(a -> PersonNames.same(a.approver(), caller.name()))) {
      throw conflict(
          "two-person rule: "
              + caller.name()
              + " already approved the un-revoke of rotation "
              + rotationId
              + "; the next approval must come from someone else");
    }
    try {
      return temporal(
          rotationId,
          () ->
              stub(rotationId)
                  .decide(
                      new GateDecision(GateName.REVOKE, verdict, caller.name(), comment, proof)));
    } catch (WorkflowUpdateException e) {
      // SDK 1.38 reports a validator's refusal under a type of its own; its message is the reason.
      throw conflict(
          e.getCause() instanceof ApplicationFailure failure
              ? failure.getOriginalMessage()
              : "the un-revoke refused the decision");
    }
  }

  /** Reports on a restart the un-revoke waits for. */
  public void confirmRestart(
      String rotationId, String deployment, Caller caller, boolean ready, String comment) {
    RecoveryStatus status = status(rotationId);
    if (!status.pendingRestarts().contains(deployment)) {
      throw conflict(
          "the un-revoke of rotation "
              + rotationId
              + " is not waiting for a restart of "
              + deployment
              + " (waiting for "
              + status.pendingRestarts()
              + ")");
    }
    temporal(
        rotationId,
        () -> {
          stub(rotationId)
              .confirmRestart(new RestartConfirmation(deployment, caller.name(), ready, comment));
          return null;
        });
  }

  /** Answers a failed step (RETRY). */
  public void resume(String rotationId, Caller caller, ResumeAction action, String comment) {
    RecoveryStatus status = status(rotationId);
    if (status.pendingDecision() == null || !status.pendingDecision().allowed().contains(action)) {
      throw conflict(
          "the un-revoke of rotation "
              + rotationId
              + " accepts "
              + (status.pendingDecision() == null
                  ? "no decision"
                  : status.pendingDecision().allowed())
              + " now, not "
              + action);
    }
    temporal(
        rotationId,
        () -> {
          stub(rotationId).resume(new Resume(caller.name(), action, comment));
          return null;
        });
  }

  /** The rotation's latest un-revoke, if one was asked for. */
  private Optional<RecoveryStatus> latest(String rotationId) {
    try {
      return Optional.of(temporal(rotationId, () -> stub(rotationId).status()));
    } catch (WorkflowNotFoundException | NotFoundException e) {
      return Optional.empty();
    }
  }

  private StoredRevoke storedRevoke(String rotationId, String secret) {
    try {
      if (history.find(rotationId).isEmpty()) {
        throw new NotFoundException("no rotation " + rotationId);
      }
      return StoredRevoke.read(history, rotationId, secret);
    } catch (RecoveryRefusal e) {
      throw conflict(e.getMessage());
    } catch (JdbiException e) {
      throw new ServiceUnavailableException(
          "the audit store did not answer for rotation " + rotationId);
    }
  }

  private RevokeRecoveryWorkflow stub(String rotationId) {
    return client.newWorkflowStub(
        RevokeRecoveryWorkflow.class, RevokeRecoveryWorkflow.workflowId(rotationId));
  }

  private static void checkId(String rotationId) {
    if (rotationId == null || !rotationId.matches(Ids.ROTATION_ID)) {
      throw new BadRequestException("rotation id " + Ids.ROTATION_ID_RULE);
    }
  }

  /**
   * Runs a Temporal call: an unknown workflow becomes {@link WorkflowNotFoundException} (also when
   * a query reports it as a gRPC NOT_FOUND); an unreachable server, or a query nobody answers, 503.
   */
  private static <T> T temporal(String rotationId, Supplier<T> call) {
    try {
      return call.get();
    } catch (WorkflowNotFoundException
        | WorkflowExecutionAlreadyStarted
        | WorkflowUpdateException e) {
      throw e;
    } catch (WorkflowException | StatusRuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof StatusRuntimeException grpc
            && grpc.getStatus().getCode() == Status.Code.NOT_FOUND) {
          throw new NotFoundException("no un-revoke of rotation " + rotationId + " was asked for");
        }
      }
      throw new ServiceUnavailableException(
          "Temporal did not answer for the un-revoke of rotation "
              + rotationId
              + " (is a worker running?)");
    }
  }

  private static ClientErrorException conflict(String message) {
    return new ClientErrorException(message, Response.Status.CONFLICT);
  }
}
