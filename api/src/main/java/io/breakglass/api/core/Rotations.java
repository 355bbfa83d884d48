package io.breakglass.api.core;

import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.audit.RotationRow;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.lock.HolderUnknownException;
import io.breakglass.activities.lock.SecretLocks;
import io.breakglass.api.auth.Caller;
import io.breakglass.api.wire.Ids;
import io.breakglass.api.wire.RotationDetail;
import io.breakglass.api.wire.RotationRecord;
import io.breakglass.api.wire.RotationStarted;
import io.breakglass.api.wire.StartRotation;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.activities.SecretLockActivities;
import io.breakglass.workflows.activities.SecretLockActivities.LockOutcome;
import io.breakglass.workflows.activities.SecretLockActivities.LockRequest;
import io.breakglass.workflows.approval.PersonNames;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.Halt;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.Verdict;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The operator's view of rotations: starts them on Temporal, answers from the workflow's {@code
 * status} query and the audit store, and sends decisions. Every refusal is a JAX-RS exception with
 * a message an operator can act on; the caller's identity, never a request field, is the initiator,
 * approver or actor. A proof the caller sends is checked as far as the API can read it ({@link
 * ProofCheck}) and forwarded with the command; the API never makes one up.
 */
public final class Rotations {

  /** The longest gate the workflow accepts; checked here so a start never fails after its 201. */
  private static final Duration LONGEST_GATE = Duration.ofDays(7);

  private final WorkflowClient client;
  private final String taskQueue;
  private final RotationHistory history;
  private final RotationRecordReconciler records;
  private final RotationSettings settings;
  private final SecretLocks locks;
  private final ProofCheck proofs;

  public Rotations(
      WorkflowClient client,
      String taskQueue,
      RotationHistory history,
      RotationRecordReconciler records,
      RotationSettings settings,
      SecretLocks locks,
      ProofCheck proofs) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.history = history;
    this.records = records;
    this.settings = settings;
    this.locks = locks;
    this.proofs = proofs;
  }

  /**
   * Starts the rotation with workflow id {@code rotation-<id>} and {@code REJECT_DUPLICATE}. A
   * repeat of the same request by the same caller answers with the rotation already started. The
   * secrets are locked for it first (one rotation per secret): 409 naming the rotation in flight
   * when a running one holds a secret; a lock this call took is given back when the start fails.
   * The initiator's proof, if any, must be bound to this rotation's START; a repeat may carry a
   * fresh one.
   */
  public RotationStarted start(StartRotation body, Caller caller) {
    Set<String> named = new HashSet<>();
    for (String secret : body.secrets()) {
      if (!named.add(secret)) {
        throw new ClientErrorException("secrets names " + secret + " more than once", 422);
      }
      if (settings.secret(secret).isEmpty()) {
        throw new ClientErrorException("secret " + secret + " is not configured", 422);
      }
    }
    // A request may ask for more approvals than its kind's policy, never fewer.
    int floor = settings.policy().approvalFloor(body.kind());
    if (body.requiredApprovals() != null && body.requiredApprovals() < floor) {
      throw new ClientErrorException(
          "requiredApprovals must be at least "
              + floor
              + " for a "
              + body.kind()
              + " rotation (policy)",
          422);
    }
    Duration gateTimeout = body.gateTimeout();
    if (gateTimeout != null
        && (gateTimeout.isNegative()
            || gateTimeout.isZero()
            || gateTimeout.compareTo(LONGEST_GATE) > 0)) {
      throw new ClientErrorException(
          "gateTimeout must be positive and at most " + LONGEST_GATE, 422);
    }
    proofs.check(
        "initiatorProof", body.initiatorProof(), caller, ProofBinding.start(body.rotationId()));
    RotationRequest request =
        new RotationRequest(
            body.rotationId(),
            body.secrets(),
            body.kind(),
            caller.name(),
            body.reason(),
            body.requiredApprovals(),
            body.gateTimeout(),
            body.initiatorProof(),
            List.of());
    String workflowId = RotationWorkflow.workflowId(body.rotationId());
    if (history.find(body.rotationId()).isPresent()) {
      return existing(request);
    }
    LockOutcome locked = lock(request, workflowId);
    RotationWorkflow rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(taskQueue)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    try {
      try {
        temporal(body.rotationId(), () -> WorkflowClient.start(rotation::rotate, request));
        return new RotationStarted(body.rotationId(), workflowId, true);
      } catch (WorkflowExecutionAlreadyStarted e) {
        return existing(request);
      }
    } catch (RuntimeException notStarted) {
      locks.release(body.rotationId(), locked.newlyLocked());
      throw notStarted;
    }
  }

  /**
   * Locks the request's secrets for its rotation, or refuses with 409 naming the rotation in
   * flight.
   */
  private LockOutcome lock(RotationRequest request, String workflowId) {
    LockOutcome outcome;
    try {
      outcome = locks.acquire(new LockRequest(request.rotationId(), workflowId, request.secrets()));
    } catch (HolderUnknownException e) {
      throw unavailable(
          "Temporal did not answer for rotation "
              + request.rotationId()
              + " ("
              + e.getMessage()
              + ")");
    }
    if (!outcome.heldBy().isEmpty()) {
      throw conflict(SecretLockActivities.refusal(outcome.heldBy()));
    }
    return outcome;
  }

  /**
   * The newest rotations the audit store holds, newest first; a record still RUNNING whose workflow
   * has ended is closed first with that end ({@link RotationRecordReconciler}).
   */
  public List<RotationRecord> list(int limit) {
    if (limit < 1 || limit > RotationHistory.MAX_LIMIT) {
      throw new BadRequestException("limit must be between 1 and " + RotationHistory.MAX_LIMIT);
    }
    return records.reconcile(history.list(limit)).stream().map(RotationRecords::of).toList();
  }

  /**
   * The stored record and timeline plus the workflow's status (null when Temporal does not answer
   * but the store knows the rotation); 404 when neither knows the id.
   */
  public RotationDetail detail(String rotationId) {
    checkId(rotationId);
    Optional<RotationRow> record = history.find(rotationId).map(records::reconcile);
    RotationStatus status;
    try {
      status = liveStatus(rotationId).orElse(null);
    } catch (ServiceUnavailableException e) {
      // Temporal not answering: the stored record still tells an operator where things stand.
      if (record.isEmpty()) {
        throw e;
      }
      status = null;
    }
    if (record.isEmpty() && status == null) {
      throw notFound(rotationId);
    }
    return new RotationDetail(
        record.map(RotationRecords::of).orElse(null), status, history.timeline(rotationId));
  }

  /**
   * Approves or rejects the open gate through the {@code decide} Update. The two-person rule is
   * checked here first (the initiator never approves, nobody approves twice) and again by the
   * workflow's validator, whose refusal comes back as 409 with its reason. Names are compared as
   * {@link PersonNames} does. The proof, if any, must be bound to this rotation, gate and verdict.
   */
  public GateView decide(
      String rotationId,
      String gateName,
      Verdict verdict,
      Caller caller,
      String comment,
      String proof) {
    return decide(rotationId, gateName, verdict, false, caller, comment, proof);
  }

  /**
   * {@link #decide(String, String, Verdict, Caller, String, String)}, as an approval that overrides
   * the proceed gate's failed pre-flight when {@code overridePreflight}: its proof must be bound to
   * {@code <GATE>:OVERRIDE}, and the workflow refuses an override of nothing (409).
   */
  public GateView decide(
      String rotationId,
      String gateName,
      Verdict verdict,
      boolean overridePreflight,
      Caller caller,
      String comment,
      String proof) {
    GateName gate = gate(gateName);
    checkId(rotationId);
    proofs.check(
        "proof",
        proof,
        caller,
        overridePreflight
            ? ProofBinding.override(rotationId, gate)
            : ProofBinding.gate(rotationId, gate, verdict));
    RotationStatus status = status(rotationId);
    if (verdict == Verdict.APPROVE && PersonNames.same(caller.name(), status.initiator())) {
      throw new ForbiddenException(
          "two-person rule: "
              + caller.name()
              + " started rotation "
              + rotationId
              + " and may not approve it");
    }
    GateView open = status.pendingGate();
    if (open == null || open.gate() != gate) {
      throw conflict(
          "gate "
              + gate
              + " of rotation "
              + rotationId
              + " is not open (phase "
              + status.phase()
              + ", state "
              + status.state()
              + ")");
    }
    if (verdict == Verdict.APPROVE
        && open.approvals().stream().anyMatch(a -> PersonNames.same(a.approver(), caller.name()))) {
      throw conflict(
          "two-person rule: "
              + caller.name()
              + " already approved gate "
              + gate
              + " of rotation "
              + rotationId
              + "; the next approval must come from someone else");
    }
    RotationWorkflow rotation = stub(rotationId);
    try {
      return temporal(
          rotationId,
          () ->
              rotation.decide(
                  new GateDecision(
                      gate, verdict, caller.name(), comment, proof, overridePreflight, List.of())));
    } catch (WorkflowUpdateException e) {
      // SDK 1.38 reports a validator's refusal under a type of its own; its message is the reason.
      throw conflict(refusal(e));
    }
  }

  /** Asks the rotation to finish the step in flight and wait. */
  public void halt(String rotationId, Caller caller, String reason) {
    running(rotationId, "halted");
    RotationWorkflow rotation = stub(rotationId);
    send(rotationId, () -> rotation.halt(new Halt(caller.name(), reason)));
  }

  /** Answers what a waiting rotation asks; the action must be one it allows now. */
  public void resume(String rotationId, Caller caller, ResumeAction action, String comment) {
    RotationStatus status = status(rotationId);
    if (status.pendingDecision() == null) {
      throw conflict(
          "rotation "
              + rotationId
              + " is not waiting for a decision (state "
              + status.state()
              + ")");
    }
    if (!status.pendingDecision().allowed().contains(action)) {
      throw conflict(
          "rotation "
              + rotationId
              + " accepts "
              + status.pendingDecision().allowed()
              + " now, not "
              + action);
    }
    RotationWorkflow rotation = stub(rotationId);
    send(rotationId, () -> rotation.resume(new Resume(caller.name(), action, comment)));
  }

  /** Reports on a restart the rotation waits for. */
  public void confirmRestart(
      String rotationId, String deployment, Caller caller, boolean ready, String comment) {
    RotationStatus status = status(rotationId);
    if (!status.pendingRestarts().contains(deployment)) {
      throw conflict(
          "rotation "
              + rotationId
              + " is not waiting for a restart of "
              + deployment
              + " (waiting for "
              + status.pendingRestarts()
              + ")");
    }
    RotationWorkflow rotation = stub(rotationId);
    send(
        rotationId,
        () ->
            rotation.confirmRestart(
                new RestartConfirmation(deployment, caller.name(), ready, comment)));
  }

  /** Cancels the rotation: its compensations run, then it ends. */
  public void cancel(String rotationId, String reason) {
    running(rotationId, "cancelled");
    send(
        rotationId,
        () ->
            client.newUntypedWorkflowStub(RotationWorkflow.workflowId(rotationId)).cancel(reason));
  }

  /** The workflow's status; 404 when Temporal does not know the rotation. */
  public RotationStatus status(String rotationId) {
    checkId(rotationId);
    return liveStatus(rotationId).orElseThrow(() -> notFound(rotationId));
  }

  private void running(String rotationId, String what) {
    RotationStatus status = status(rotationId);
    if (status.state() != null && status.state().terminal()) {
      throw conflict(
          "rotation " + rotationId + " has ended (" + status.state() + ") and cannot be " + what);
    }
  }

  private Optional<RotationStatus> liveStatus(String rotationId) {
    RotationWorkflow rotation = stub(rotationId);
    try {
      return Optional.of(temporal(rotationId, rotation::status));
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    }
  }

  private RotationStarted existing(RotationRequest request) {
    String workflowId = RotationWorkflow.workflowId(request.rotationId());
    RotationRequest earlier = startInput(request.rotationId());
    if (earlier == null) {
      throw conflict(
          "rotation id " + request.rotationId() + " was used before; choose another rotation id");
    }
    if (!withoutProof(earlier).equals(withoutProof(request))) {
      throw conflict(
          "rotation "
              + request.rotationId()
              + " was started by "
              + earlier.initiator()
              + " with another request; choose another rotation id");
    }
    return new RotationStarted(request.rotationId(), workflowId, false);
  }

  /** The request as the same start repeated compares: a repeat may carry a fresh proof. */
  private static RotationRequest withoutProof(RotationRequest request) {
    return new RotationRequest(
        request.rotationId(),
        request.secrets(),
        request.kind(),
        request.initiator(),
        request.reason(),
        request.requiredApprovals(),
        request.gateTimeout());
  }

  /** The input the workflow was started with, or null when Temporal does not know it. */
  private RotationRequest startInput(String rotationId) {
    String workflowId = RotationWorkflow.workflowId(rotationId);
    try {
      HistoryEvent first =
          temporal(rotationId, () -> client.fetchHistory(workflowId)).getEvents().get(0);
      Payloads input = first.getWorkflowExecutionStartedEventAttributes().getInput();
      return client
          .getOptions()
          .getDataConverter()
          .fromPayloads(0, Optional.of(input), RotationRequest.class, RotationRequest.class);
    } catch (WorkflowNotFoundException e) {
      return null;
    }
  }

  private RotationWorkflow stub(String rotationId) {
    return client.newWorkflowStub(RotationWorkflow.class, RotationWorkflow.workflowId(rotationId));
  }

  private static GateName gate(String name) {
    try {
      return GateName.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("no gate " + name + "; gates are PROCEED and REVOKE");
    }
  }

  private static void checkId(String rotationId) {
    if (rotationId == null || !rotationId.matches(Ids.ROTATION_ID)) {
      throw new BadRequestException("rotation id " + Ids.ROTATION_ID_RULE);
    }
  }

  private static String refusal(WorkflowUpdateException e) {
    return e.getCause() instanceof ApplicationFailure failure
        ? failure.getOriginalMessage()
        : "the rotation refused the decision";
  }

  /**
   * Runs a Temporal call: an unknown workflow becomes {@link WorkflowNotFoundException}; an
   * unreachable server, or a query nobody answers, 503.
   */
  private static <T> T temporal(String rotationId, Supplier<T> call) {
    try {
      return call.get();
    } catch (WorkflowNotFoundException
        | WorkflowExecutionAlreadyStarted
        | WorkflowUpdateException e) {
      throw e;
    } catch (WorkflowQueryException e) {
      throw notFoundCause(rotationId, e)
          .orElseGet(
              () ->
                  unavailable(
                      "the workflow of rotation "
                          + rotationId
                          + " did not answer (is a worker running?)"));
    } catch (WorkflowException | StatusRuntimeException e) {
      throw notFoundCause(rotationId, e)
          .orElseGet(() -> unavailable("Temporal did not answer for rotation " + rotationId));
    }
  }

  /** {@link #temporal(String, Supplier)} for a call without an answer. */
  private static void send(String rotationId, Runnable call) {
    temporal(
        rotationId,
        () -> {
          call.run();
          return null;
        });
  }

  private static Optional<RuntimeException> notFoundCause(String rotationId, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException grpc && notFound(grpc)) {
        WorkflowExecution execution =
            WorkflowExecution.newBuilder()
                .setWorkflowId(RotationWorkflow.workflowId(rotationId))
                .build();
        return Optional.of(new WorkflowNotFoundException(execution, null, failure));
      }
    }
    return Optional.empty();
  }

  private static boolean notFound(StatusRuntimeException e) {
    return e.getStatus().getCode() == Status.Code.NOT_FOUND;
  }

  private static WebApplicationException unavailable(String message) {
    return new ServiceUnavailableException(message);
  }

  private static WebApplicationException notFound(String rotationId) {
    return new NotFoundException("no rotation " + rotationId);
  }

  private static WebApplicationException conflict(String message) {
    return new ClientErrorException(message, Response.Status.CONFLICT);
  }
}
