package io.breakglass.workflows;

import io.breakglass.workflows.activities.SecretLockActivities;
import io.breakglass.workflows.activities.SecretLockActivities.LockOutcome;
import io.breakglass.workflows.activities.SecretLockActivities.LockRequest;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.RotationResult;
import io.breakglass.workflows.messages.values.RotationKind;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.VersioningBehavior;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;

/** {@link RoutineRotationWorkflow}: a durable timer per secret. */
public class RoutineRotationWorkflowImpl implements RoutineRotationWorkflow {

  private static final Logger log = Workflow.getLogger(RoutineRotationWorkflowImpl.class);

  /** When a routine rotation does not complete (rejected, rolled back), try again after this. */
  static final Duration RETRY_AFTER = Duration.ofDays(7);

  /** How often a due rotation looks again at a secret another rotation holds. */
  static final Duration LOCK_CHECK_EVERY = Duration.ofMinutes(15);

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private final SecretLockActivities locks = RotationActivities.locks();
  private RoutineSchedule schedule;
  private boolean moved;
  private LockWait lockWait;

  @WorkflowInit
  public RoutineRotationWorkflowImpl(RoutineSchedule schedule) {
    this.schedule = schedule;
  }

  @Override
  // It waits for months: pinned, it would keep an old build's workers from ever draining.
  @WorkflowVersioningBehavior(VersioningBehavior.AUTO_UPGRADE)
  public void run(RoutineSchedule initial) {
    Duration wait = Duration.between(now(), schedule.dueAt());
    moved = false;
    while (!wait.isNegative() && !wait.isZero() && Workflow.await(wait, () -> moved)) {
      moved = false;
      wait = Duration.between(now(), schedule.dueAt());
    }
    String secret = schedule.secret();
    String rotationId = lockFor(secret);
    if (rotationId == null) {
      // Moved while it waited (the rotation holding the lock completed): wait for the new date.
      Workflow.continueAsNew(schedule);
      return;
    }
    RotationWorkflow rotation =
        Workflow.newChildWorkflowStub(
            RotationWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(RotationWorkflow.workflowId(rotationId))
                // The rotation must outlive this timer if the timer is ever terminated.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build());
    RotationRequest request =
        new RotationRequest(
            rotationId,
            List.of(secret),
            RotationKind.ROUTINE,
            SCHEDULER,
            "routine rotation due " + schedule.dueAt(),
            null,
            null);
    try {
      RotationResult result = rotation.rotate(request);
      if (!moved) {
        schedule = new RoutineSchedule(secret, result.nextRotationDue(), rotationId);
      }
    } catch (ChildWorkflowFailure notCompleted) {
      log.warn("routine rotation {} did not complete; trying again in {}", rotationId, RETRY_AFTER);
      if (!moved) {
        schedule =
            new RoutineSchedule(secret, now().plus(RETRY_AFTER), schedule.lastRotationId());
      }
    }
    // A fresh run per cycle keeps the history of an everlasting schedule short.
    Workflow.continueAsNew(schedule);
  }

  @Override
  public void reschedule(RoutineSchedule next) {
    schedule = next;
    moved = true;
  }

  @Override
  public RoutineSchedule schedule() {
    return schedule;
  }

  @Override
  public LockWait lockWait() {
    return lockWait;
  }

  /**
   * Takes the secret's lock for the rotation about to start, so that no other rotation slips in
   * before it, and while a running rotation holds it, tries again every {@link #LOCK_CHECK_EVERY}.
   * Returns the id of the rotation to start, or null when the schedule moved meanwhile.
   */
  private String lockFor(String secret) {
    // A timer already waiting on its rotation when locks came replays without them.
    if (Workflow.getVersion("secret-lock", Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return rotationId(secret, now());
    }
    Instant since = now();
    while (true) {
      String rotationId = rotationId(secret, now());
      String reason;
      try {
        LockOutcome outcome =
            locks.acquire(
                new LockRequest(rotationId, RotationWorkflow.workflowId(rotationId), List.of(secret)));
        if (outcome.heldBy().isEmpty()) {
          lockWait = null;
          return rotationId;
        }
        reason = SecretLockActivities.refusal(outcome.heldBy());
      } catch (ActivityFailure unchecked) {
        // Treated as held: the timer must outlive an outage of the database or of Temporal.
        reason = "the lock of secret " + secret + " could not be checked: " + Failures.describe(unchecked);
      }
      lockWait = new LockWait(reason, since, now().plus(LOCK_CHECK_EVERY));
      log.info("routine rotation of {} waits: {}", secret, reason);
      if (Workflow.await(LOCK_CHECK_EVERY, () -> moved)) {
        lockWait = null;
        return null;
      }
    }
  }

  /** A valid rotation id for the routine rotation of {@code secret} on the day of {@code at}. */
  static String rotationId(String secret, Instant at) {
    String slug = secret.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    String suffix = "-" + DAY.format(at);
    String prefix = "routine-" + slug;
    int room = 64 - suffix.length();
    return (prefix.length() > room ? prefix.substring(0, room) : prefix) + suffix;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
