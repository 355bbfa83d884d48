package io.breakglass.workflows.activities;

import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.time.Instant;

/**
 * The routine rotation of a secret as a Temporal Schedule, {@code routine-rotation-<secret>}, on a
 * server that has Schedules: listed, paused and triggered in the Web UI's Schedules page. Each
 * firing starts a {@code ScheduledRoutineRotationWorkflow}, which starts the ROUTINE rotation. On a
 * server without Schedules (the Java test server) the durable-timer {@code RoutineRotationWorkflow}
 * keeps the date instead; the server itself says which, call by call.
 */
@ActivityInterface
public interface RoutineScheduleActivities {

  /** The schedule of a secret: one per secret. */
  static String scheduleId(String secret) {
    return "routine-rotation-" + secret;
  }

  /**
   * Creates the secret's schedule, or moves the one that exists, so that it next fires at {@link
   * RoutineScheduleRequest#nextDue()} and then every {@link RoutineScheduleRequest#every()}.
   * Idempotent: a retry writes the same schedule. A schedule an operator paused stays paused, with
   * the operator's note. Firings of the schedule still waiting for the secret's lock are told the
   * date moved, and a durable-timer workflow of the secret (left by a release or a server without
   * Schedules) is terminated, so one thing keeps the secret's date.
   *
   * @return whether the server has Schedules; without them nothing was written
   */
  ScheduleOutcome upsertRoutineSchedule(RoutineScheduleRequest request);

  /**
   * Whether the secret's schedule itself started the given run: Temporal's own record of the
   * schedule's recent and running actions must name this workflow id and run id. Waits a few
   * seconds for the record, which the server writes just after the start. A run a client started by
   * itself, whatever its workflow id, memo or search attributes, is never in that record.
   */
  StartCheck confirmScheduledStart(ScheduledRun run);

  /**
   * @param secret the secret
   * @param nextDue when the schedule fires next
   * @param every how often it fires after that; null keeps the schedule's interval (and writes
   *     nothing when there is no schedule)
   * @param lastRotationId the rotation that set this date, for the schedule's note; may be null
   * @param taskQueue the task queue the schedule's runs go to
   */
  record RoutineScheduleRequest(
      String secret, Instant nextDue, Duration every, String lastRotationId, String taskQueue) {}

  /**
   * @param serverHasSchedules false on a server without Schedules: the caller keeps the timer
   * @param paused whether the schedule is paused (by an operator); it stays so
   * @param detail what was done, for the timeline
   */
  record ScheduleOutcome(boolean serverHasSchedules, boolean paused, String detail) {}

  /**
   * @param secret the secret whose schedule is asked
   * @param workflowId the run's workflow id
   * @param runId the run's first run id
   */
  record ScheduledRun(String secret, String workflowId, String runId) {}

  /**
   * @param confirmed whether the schedule's record names the run
   * @param detail why not, or which firing it was
   */
  record StartCheck(boolean confirmed, String detail) {}
}
