package io.breakglass.workflows;

import io.breakglass.workflows.messages.queries.RotationResult;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;

/** {@link RoutineRotationWorkflow}: a durable timer per secret. */
public class RoutineRotationWorkflowImpl implements RoutineRotationWorkflow {

  private static final Logger log = ContextLogger.of(RoutineRotationWorkflowImpl.class);

  /** When a routine rotation does not complete (rejected, rolled back), try again after this. */
  static final Duration RETRY_AFTER = Duration.ofDays(7);

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private RoutineSchedule schedule;
  private boolean moved;
  private final DueRotationLock lock;

  @WorkflowInit
  public RoutineRotationWorkflowImpl(RoutineSchedule schedule) {
    this.schedule = schedule;
    this.lock = new DueRotationLock(at -> rotationId(schedule.secret(), at), () -> moved);
  }

  @Override
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
    try {
      RotationResult result =
          RoutineRotationChild.run(rotationId, secret, "routine rotation due " + schedule.dueAt());
      if (!moved) {
        schedule = new RoutineSchedule(secret, result.nextRotationDue(), rotationId);
      }
    } catch (ChildWorkflowFailure notCompleted) {
      log.warn("routine rotation {} did not complete; trying again in {}", rotationId, RETRY_AFTER);
      if (!moved) {
        schedule = new RoutineSchedule(secret, now().plus(RETRY_AFTER), schedule.lastRotationId());
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
    return lock.waiting();
  }

  /**
   * The id of the rotation to start, or null when the schedule moved while it waited for the lock.
   */
  private String lockFor(String secret) {
    // A timer already waiting on its rotation when locks came replays without them.
    if (Workflow.getVersion("secret-lock", Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      return rotationId(secret, now());
    }
    return lock.take(secret);
  }

  /** A valid rotation id for the routine rotation of {@code secret} on the day of {@code at}. */
  static String rotationId(String secret, Instant at) {
    return rotationId(secret, DAY.format(at));
  }

  /** {@code routine-<secret as a slug>-<stamp>}, the slug shortened to fit 64 characters. */
  static String rotationId(String secret, String stamp) {
    String slug = secret.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    String suffix = "-" + stamp;
    String prefix = "routine-" + slug;
    int room = 64 - suffix.length();
    return (prefix.length() > room ? prefix.substring(0, room) : prefix) + suffix;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
