package io.breakglass.activities.lock;

import static io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
import static io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.SecretLockActivities;
import io.breakglass.workflows.activities.SecretLockActivities.LockHolder;
import io.breakglass.workflows.activities.SecretLockActivities.LockOutcome;
import io.breakglass.workflows.activities.SecretLockActivities.LockRelease;
import io.breakglass.workflows.activities.SecretLockActivities.LockRequest;
import io.breakglass.workflows.activities.SecretLockActivities.Takeover;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecretLocksTest {

  /** The workflows Temporal knows, by workflow id; any other is unknown to it. */
  private final Map<String, WorkflowExecutionStatus> workflows = new ConcurrentHashMap<>();

  private Jdbi jdbi;
  private SecretLocks locks;

  @BeforeEach
  void migratedDatabase() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    BreakglassSchema.migrate(database.dataSource());
    jdbi = database.jdbi();
    locks = new SecretLocks(jdbi, id -> Optional.ofNullable(workflows.get(id)));
  }

  @Test
  void freeSecrets_areAllLocked_andTheSameRotationAcquiringAgainSucceedsWithoutChangingThem() {
    running("r1");

    LockOutcome first = locks.acquire(request("r1", "jwt", "openai"));
    List<LockHolder> before = locks.held();
    LockOutcome again = locks.acquire(request("r1", "jwt", "openai"));

    assertThat(first.heldBy()).isEmpty();
    assertThat(first.newlyLocked()).containsExactly("jwt", "openai");
    assertThat(again.heldBy()).as("a retry succeeds for its own holder").isEmpty();
    assertThat(again.newlyLocked()).isEmpty();
    assertThat(locks.held())
        .isEqualTo(before)
        .extracting(LockHolder::rotationId)
        .containsOnly("r1");
  }

  @Test
  void aRunningHolder_refusesEveryRequestedSecret_andNothingIsLockedForTheRefusedRotation() {
    running("r1");
    running("r2");
    locks.acquire(request("r1", "jwt"));

    LockOutcome refused = locks.acquire(request("r2", "openai", "jwt"));
    LockOutcome other = locks.acquire(request("r2", "openai"));

    assertThat(refused.heldBy())
        .extracting(LockHolder::secret, LockHolder::rotationId)
        .containsExactly(tuple("jwt", "r1"));
    assertThat(SecretLockActivities.refusal(refused.heldBy()))
        .isEqualTo("secret jwt is being rotated by rotation r1");
    assertThat(other.heldBy()).as("negative control: a secret nobody holds is granted").isEmpty();
    assertThat(locks.held())
        .extracting(LockHolder::secret, LockHolder::rotationId)
        .containsExactly(tuple("jwt", "r1"), tuple("openai", "r2"));
  }

  @Test
  void aHolderWhoseWorkflowEnded_isTakenOver_andARetryReportsTheTakeoverAgain() {
    running("r1");
    locks.acquire(request("r1", "jwt", "openai"));
    workflows.put(workflowId("r1"), WORKFLOW_EXECUTION_STATUS_TERMINATED);
    running("r2");

    LockOutcome taken = locks.acquire(request("r2", "jwt"));
    LockOutcome retried = locks.acquire(request("r2", "jwt"));

    assertThat(taken.heldBy()).isEmpty();
    assertThat(taken.takenOver()).containsExactly(new Takeover("jwt", "r1"));
    assertThat(taken.newlyLocked()).containsExactly("jwt");
    assertThat(retried.takenOver()).containsExactly(new Takeover("jwt", "r1"));
    assertThat(locks.held())
        .extracting(LockHolder::secret, LockHolder::rotationId)
        .containsExactly(tuple("jwt", "r2"), tuple("openai", "r1"));
  }

  @Test
  void aHolderTemporalDoesNotKnow_blocksWhileItMayBeStarting_andIsTakenOverAfterwards() {
    running("r2");
    locks.acquire(request("r1", "jwt"));

    LockOutcome whileStarting = locks.acquire(request("r2", "jwt"));
    jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE breakglass.secret_locks SET acquired_at = now() - interval '2 minutes'"));
    LockOutcome later = locks.acquire(request("r2", "jwt"));

    assertThat(whileStarting.heldBy()).extracting(LockHolder::rotationId).containsExactly("r1");
    assertThat(later.heldBy()).isEmpty();
    assertThat(later.takenOver()).containsExactly(new Takeover("jwt", "r1"));
  }

  @Test
  void release_dropsOnlyTheRotationsOwnLocks_andReleasingTwiceDoesNothing() {
    running("r1");
    running("r2");
    locks.acquire(request("r1", "jwt", "openai"));
    locks.acquire(request("r2", "artifact-encryption-key"));

    int first = locks.release("r1");
    int second = locks.release("r1");

    assertThat(first).isEqualTo(2);
    assertThat(second).isZero();
    assertThat(locks.held()).extracting(LockHolder::rotationId).containsExactly("r2");
    assertThat(locks.acquire(request("r3", "jwt")).heldBy()).isEmpty();
  }

  @Test
  void whenTemporalCannotTell_nothingIsLockedOrTakenOver_andTheActivityFailsRetryably() {
    locks.acquire(request("r1", "jwt"));
    HolderWorkflows unreachable =
        id -> {
          throw new HolderUnknownException(
              "Temporal did not say whether workflow " + id + " still runs", null);
        };
    SecretLockActivitiesImpl activities = new SecretLockActivitiesImpl(jdbi, () -> unreachable);

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.acquire(request("r2", "openai", "jwt")));

    assertThat(failure.getType()).isEqualTo(RotationErrors.SECRET_LOCKED.name());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("rotation-r1");
    assertThat(locks.held())
        .extracting(LockHolder::secret, LockHolder::rotationId)
        .containsExactly(tuple("jwt", "r1"));
  }

  @Test
  void theActivity_reacquiresForItsOwnHolderAfterAWorkerRestart_andReleasesIdempotently() {
    running("r1");
    running("r2");
    // Two instances over the same database, as two worker processes before and after a crash.
    SecretLockActivitiesImpl before = activities();
    SecretLockActivitiesImpl after = activities();

    before.acquire(request("r1", "jwt"));
    LockOutcome retried = after.acquire(request("r1", "jwt"));
    LockOutcome other = after.acquire(request("r2", "jwt"));
    after.release(new LockRelease("r1"));
    after.release(new LockRelease("r1"));

    assertThat(retried.heldBy()).isEmpty();
    assertThat(other.heldBy())
        .as("negative control: another rotation is refused")
        .extracting(LockHolder::rotationId)
        .containsExactly("r1");
    assertThat(locks.held()).isEmpty();
  }

  @Test
  void rotationsRacingForOverlappingSecrets_endWithExactlyOneHolderPerSecret() throws Exception {
    List<List<String>> requests =
        List.of(
            List.of("jwt", "openai"),
            List.of("openai", "jwt"),
            List.of("openai"),
            List.of("jwt", "artifact-encryption-key"));
    for (int i = 0; i < 8; i++) {
      running("race-" + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<LockOutcome>> outcomes = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        LockRequest request =
            new LockRequest(
                "race-" + i, workflowId("race-" + i), requests.get(i % requests.size()));
        outcomes.add(
            pool.submit(
                () -> {
                  go.await();
                  return locks.acquire(request);
                }));
      }
      go.countDown();
      List<String> granted = new ArrayList<>();
      for (int i = 0; i < outcomes.size(); i++) {
        if (outcomes.get(i).get().heldBy().isEmpty()) {
          granted.addAll(requests.get(i % requests.size()));
        }
      }

      assertThat(granted).as("no secret granted twice").doesNotHaveDuplicates().isNotEmpty();
      assertThat(locks.held())
          .extracting(LockHolder::secret)
          .containsExactlyInAnyOrderElementsOf(granted);
    } finally {
      pool.shutdownNow();
    }
  }

  private SecretLockActivitiesImpl activities() {
    return new SecretLockActivitiesImpl(jdbi, () -> id -> Optional.ofNullable(workflows.get(id)));
  }

  private void running(String rotationId) {
    workflows.put(workflowId(rotationId), WORKFLOW_EXECUTION_STATUS_RUNNING);
  }

  private static LockRequest request(String rotationId, String... secrets) {
    return new LockRequest(rotationId, workflowId(rotationId), List.of(secrets));
  }

  private static String workflowId(String rotationId) {
    return "rotation-" + rotationId;
  }
}
