package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
import static io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.breakglass.activities.audit.RotationRow;
import io.breakglass.activities.lock.SecretLocks;
import io.breakglass.activities.lock.TemporalHolderWorkflows;
import io.breakglass.workflows.LockWait;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.RoutineRotationWorkflow;
import io.breakglass.workflows.RoutineSchedule;
import io.breakglass.workflows.activities.SecretLockActivities.LockHolder;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rotation per secret: a second open rotation of a secret fails at PLAN with SECRET_LOCKED, the
 * lock is free again however the first ends, a holder terminated through Temporal is taken over,
 * and the routine timer waits for the lock instead of failing.
 */
class SecretLockTest {

  private static final Duration A_MINUTE = Duration.ofMinutes(1);

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void aSecondRotationOfAnOverlappingSecret_failsAtPlanWithSecretLocked_whileTheFirstWaitsAtItsGate(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = started(env, worker);
    RotationTests.start(
        client, options, RotationTests.emergency("first", ARTIFACT_KEY, PAYLOAD_KEY));
    awaitGate(client, "first");

    WorkflowStub second =
        RotationTests.start(client, options, RotationTests.emergency("second", PAYLOAD_KEY, JWT));
    RotationStatus refused = awaitEnd(client, "second");
    ApplicationFailure failure = failure(second);

    assertThat(failure.getType()).isEqualTo(RotationErrors.SECRET_LOCKED.name());
    assertThat(failure.getOriginalMessage())
        .contains("secret " + PAYLOAD_KEY + " is being rotated by rotation first")
        .doesNotContain(JWT);
    assertThat(refused.timeline())
        .filteredOn(e -> e.phase() == Phase.PLAN && e.outcome() == TimelineOutcome.FAILED)
        .first()
        .satisfies(e -> assertThat(e.detail()).startsWith("SECRET_LOCKED: secret " + PAYLOAD_KEY));
    assertThat(refused.versions()).isEmpty();
    assertThat(holders(testbed))
        .as("the refused rotation holds nothing")
        .extracting(LockHolder::secret, LockHolder::rotationId)
        .containsExactlyInAnyOrder(tuple(ARTIFACT_KEY, "first"), tuple(PAYLOAD_KEY, "first"));
    RotationRow recorded = testbed.history().find("second").orElseThrow();
    assertThat(recorded.secrets()).containsExactly(PAYLOAD_KEY, JWT);
    assertThat(recorded.failure()).contains("SECRET_LOCKED");

    RotationTests.start(client, options, RotationTests.emergency("third", JWT));
    RotationStatus third = awaitGate(client, "third");
    assertThat(third.state())
        .as("negative control: a rotation of another secret starts")
        .isEqualTo(RotationState.AWAITING_APPROVAL);
    assertThat(status(client, "first").pendingGate().gate()).isEqualTo(GateName.PROCEED);
  }

  @Test
  void afterARollback_theLockIsFree_andANewRotationOfTheSameSecretRuns(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = started(env, worker);
    RotationTests.start(client, options, RotationTests.emergency("rejected", JWT));
    try (Operator operator =
        new Operator(client, "rejected").rejects(GateName.PROCEED, "bob").start()) {
      assertThat(operator.awaitEnd(Duration.ofMinutes(2)).state())
          .isEqualTo(RotationState.ROLLED_BACK);
    }

    awaitHolders(testbed, List::isEmpty);
    RotationTests.start(client, options, RotationTests.emergency("after-rollback", JWT));

    assertThat(awaitGate(client, "after-rollback").state())
        .isEqualTo(RotationState.AWAITING_APPROVAL);
    assertThat(holders(testbed))
        .extracting(LockHolder::rotationId)
        .containsExactly("after-rollback");
  }

  @Test
  void afterACompletion_theLockIsFree_andANewRotationOfTheSameSecretRuns(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = started(env, worker);
    RotationTests.start(client, options, RotationTests.emergency("completed", JWT));
    try (Operator operator =
        new Operator(client, "completed")
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .start()) {
      assertThat(operator.awaitEnd(Duration.ofMinutes(2)).state())
          .isEqualTo(RotationState.COMPLETED);
    }

    awaitHolders(testbed, List::isEmpty);
    RotationTests.start(client, options, RotationTests.emergency("after-completion", JWT));

    assertThat(awaitGate(client, "after-completion").state())
        .isEqualTo(RotationState.AWAITING_APPROVAL);
  }

  @Test
  void aHolderTerminatedThroughTemporal_keepsItsLock_untilTheNextRotationTakesItOver(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = started(env, worker);
    RotationTests.start(client, options, RotationTests.emergency("terminated", JWT));
    awaitGate(client, "terminated");

    client
        .newUntypedWorkflowStub(RotationWorkflow.workflowId("terminated"))
        .terminate("test terminates it");
    List<LockHolder> afterTermination = holders(testbed);
    RotationTests.start(client, options, RotationTests.emergency("successor", JWT));
    RotationStatus successor = awaitGate(client, "successor");

    assertThat(afterTermination)
        .as("a terminated workflow runs no code")
        .extracting(LockHolder::rotationId)
        .containsExactly("terminated");
    TemporalHolderWorkflows workflows = new TemporalHolderWorkflows(client);
    assertThat(workflows.status(RotationWorkflow.workflowId("terminated")))
        .contains(WORKFLOW_EXECUTION_STATUS_TERMINATED);
    assertThat(workflows.status(RotationWorkflow.workflowId("successor")))
        .contains(WORKFLOW_EXECUTION_STATUS_RUNNING);
    assertThat(workflows.status(RotationWorkflow.workflowId("never-started"))).isEmpty();
    assertThat(holders(testbed)).extracting(LockHolder::rotationId).containsExactly("successor");
    assertThat(successor.timeline())
        .extracting(TimelineEntry::detail)
        .contains(
            "lock on "
                + JWT
                + " taken over from rotation terminated, whose workflow is no longer running");
  }

  @Test
  void theRoutineTimer_waitsWhileTheSecretIsLocked_andStartsTheDueRotationOnceItIsFree(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = started(env, worker);
    RotationTests.start(client, options, RotationTests.emergency("blocker", JWT));
    awaitGate(client, "blocker");
    RoutineRotationWorkflow routine =
        client.newWorkflowStub(
            RoutineRotationWorkflow.class,
            WorkflowOptions.newBuilder(options)
                .setWorkflowId(RoutineRotationWorkflow.workflowId(JWT))
                .build());
    Instant due = Instant.ofEpochMilli(env.currentTimeMillis()).minus(A_MINUTE);
    WorkflowClient.start(routine::run, new RoutineSchedule(JWT, due, "earlier"));

    LockWait waiting = awaitLockWait(routine, w -> w != null);
    env.sleep(Duration.ofMinutes(16));
    LockWait stillWaiting =
        awaitLockWait(routine, w -> w != null && w.nextCheckAt().isAfter(waiting.nextCheckAt()));

    assertThat(waiting.reason())
        .isEqualTo("secret " + JWT + " is being rotated by rotation blocker");
    assertThat(stillWaiting.since())
        .as("negative control: checked again, still held")
        .isEqualTo(waiting.since());
    assertThat(holders(testbed)).extracting(LockHolder::rotationId).containsExactly("blocker");

    try (Operator operator =
        new Operator(client, "blocker").rejects(GateName.PROCEED, "bob").start()) {
      operator.awaitEnd(Duration.ofMinutes(2));
    }
    awaitHolders(testbed, List::isEmpty);
    env.sleep(Duration.ofMinutes(16));
    awaitLockWait(routine, w -> w == null);
    List<LockHolder> started = awaitHolders(testbed, h -> !h.isEmpty());

    String routineId = started.get(0).rotationId();
    assertThat(routineId).startsWith("routine-jwt-");
    RotationStatus status = awaitGate(client, routineId);
    assertThat(status.kind()).isEqualTo(RotationKind.ROUTINE);
    assertThat(status.initiator()).isEqualTo(RoutineRotationWorkflow.SCHEDULER);
  }

  private Testbed started(TestWorkflowEnvironment env, Worker worker) {
    Testbed testbed = new Testbed(root);
    RotationTests.startWorker(env, worker, testbed);
    return testbed;
  }

  private static List<LockHolder> holders(Testbed testbed) {
    return new SecretLocks(testbed.breakglass.jdbi(), id -> Optional.empty()).held();
  }

  /** Polls the lock table in real time (never unlocking time skipping) until {@code condition}. */
  private static List<LockHolder> awaitHolders(
      Testbed testbed, Predicate<List<LockHolder>> condition) {
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(A_MINUTE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> holders(testbed), condition);
  }

  private static LockWait awaitLockWait(
      RoutineRotationWorkflow routine, Predicate<LockWait> condition) {
    // The timer may be between two runs (continue-as-new): a failing query is asked again. No
    // wait is an answer too, so it is read as an Optional (Awaitility never tests a null).
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(A_MINUTE)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> Optional.ofNullable(routine.lockWait()),
            wait -> condition.test(wait.orElse(null)))
        .orElse(null);
  }

  private static RotationStatus awaitGate(WorkflowClient client, String rotationId)
      throws InterruptedException {
    try (Operator watcher = new Operator(client, rotationId).start()) {
      return watcher.awaitStatus(s -> s.pendingGate() != null, A_MINUTE);
    }
  }

  private static RotationStatus awaitEnd(WorkflowClient client, String rotationId)
      throws InterruptedException {
    try (Operator watcher = new Operator(client, rotationId).start()) {
      return watcher.awaitEnd(A_MINUTE);
    }
  }

  private static RotationStatus status(WorkflowClient client, String rotationId) {
    return client
        .newWorkflowStub(RotationWorkflow.class, RotationWorkflow.workflowId(rotationId))
        .status();
  }

  private static ApplicationFailure failure(WorkflowStub stub) {
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(Object.class));
    return (ApplicationFailure) failed.getCause();
  }
}
