package io.breakglass.workflows;

import static io.breakglass.workflows.ScriptedActivities.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.GateState;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.PendingDecision;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One rotation of {@link ScriptedActivities}' secret on the time-skipping test server: the workflow
 * logic alone, with helpers that wait on its status and act as its approvers. Close it after each
 * test.
 */
final class ScriptedRotation implements AutoCloseable {

  private static final String QUEUE = "breakglass-rotation";

  /**
   * Real time a result may take; a workflow stuck on a bug fails the test instead of hanging it.
   */
  private static final Duration RESULT_WITHIN = Duration.ofSeconds(30);

  final ScriptedActivities activities;
  final TestWorkflowEnvironment env;
  private RotationWorkflow rotation;
  private WorkflowStub stub;
  private String rotationId;

  ScriptedRotation(ScriptedActivities activities) {
    this.activities = activities;
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(BreakglassDataConverter.create())
                        .build())
                .build());
    RotationSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        RotationWorkflowImpl.class, RoutineRotationWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  /** Starts a rotation of {@link ScriptedActivities#SECRET}, initiated by alice. */
  ScriptedRotation start(RotationKind kind) {
    rotationId = "r-" + kind.name().toLowerCase(Locale.ROOT);
    WorkflowClient client = env.getWorkflowClient();
    rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(RotationWorkflow.workflowId(rotationId))
                .build());
    WorkflowClient.start(
        rotation::rotate,
        new RotationRequest(
            rotationId, List.of(SECRET), kind, "alice", "suspected leak", null, null));
    stub = WorkflowStub.fromTyped(rotation);
    return this;
  }

  RotationWorkflow workflow() {
    return rotation;
  }

  WorkflowStub stub() {
    return stub;
  }

  /** Cancels the rotation once it is {@linkplain IdleWorkflow idle}. */
  void cancel() {
    IdleWorkflow.await(env.getWorkflowClient(), stub.getExecution().getWorkflowId());
    stub.cancel();
  }

  /** The id of the version this rotation creates. */
  String newVersion() {
    return VersionIds.forRotation(rotationId, SECRET);
  }

  /** Waits until gate {@code gate} is open, then approves it as {@code approver}. */
  void approve(GateName gate, String approver) {
    awaitGate(gate);
    GateView after = rotation.decide(new GateDecision(gate, Verdict.APPROVE, approver, "checked"));
    assertThat(after.state()).isEqualTo(GateState.APPROVED);
  }

  /** Waits until gate {@code gate} is open. */
  RotationStatus awaitGate(GateName gate) {
    return awaitStatus(s -> s.pendingGate() != null && s.pendingGate().gate() == gate);
  }

  /**
   * Waits (in real time, while the server skips workflow time) for the status to satisfy {@code
   * condition}.
   */
  RotationStatus awaitStatus(Predicate<RotationStatus> condition) {
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(rotation::status, condition);
  }

  /** Waits until a halt holds the rotation and asks for the decision that ends it. */
  RotationStatus awaitHalted() {
    return awaitStatus(s -> s.state() == RotationState.HALTED && s.pendingDecision() != null);
  }

  PendingDecision awaitDecision() {
    return awaitStatus(s -> s.pendingDecision() != null).pendingDecision();
  }

  /** Waits for a successful end and returns the final status. */
  RotationStatus awaitEnd() {
    try {
      stub.getResult(RESULT_WITHIN.toSeconds(), TimeUnit.SECONDS, Object.class);
    } catch (TimeoutException stuck) {
      throw new AssertionError(
          "no result within " + RESULT_WITHIN + ": " + rotation.status(), stuck);
    }
    return rotation.status();
  }

  /** Waits for the workflow to fail and returns why. */
  WorkflowFailedException awaitFailure() {
    try {
      stub.getResult(RESULT_WITHIN.toSeconds(), TimeUnit.SECONDS, Object.class);
    } catch (WorkflowFailedException failed) {
      return failed;
    } catch (TimeoutException stuck) {
      throw new AssertionError(
          "no end within "
              + RESULT_WITHIN
              + ": "
              + rotation.status()
              + "; calls "
              + activities.calls,
          stuck);
    }
    throw new AssertionError("the rotation ended without failing: " + rotation.status());
  }

  /** Waits for the workflow to fail with an {@code ApplicationFailure} and returns its type. */
  String failureType() {
    return ((ApplicationFailure) awaitFailure().getCause()).getType();
  }

  /** The calls the activities saw after the last {@code call}, in order. */
  List<String> callsAfter(String call) {
    List<String> calls = List.copyOf(activities.calls);
    int at = calls.lastIndexOf(call);
    assertThat(at).as("call " + call + " in " + calls).isNotNegative();
    return calls.subList(at + 1, calls.size());
  }

  /** The details of the timeline entries with {@code outcome}. */
  static List<String> entries(RotationStatus status, TimelineOutcome outcome) {
    return status.timeline().stream()
        .filter(e -> e.outcome() == outcome)
        .map(TimelineEntry::detail)
        .toList();
  }

  @Override
  public void close() {
    TestServers.close(env);
  }
}
