package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.RoutineScheduleActivities.RoutineScheduleRequest;
import io.breakglass.workflows.activities.RoutineScheduleActivities.ScheduleOutcome;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * The next routine rotation of a secret a rotation completed, on the secret's Temporal Schedule
 * where the server has Schedules. Where it has none, or the schedule cannot be written, the caller
 * keeps the date on the durable-timer {@link RoutineRotationWorkflow} instead: a completed rotation
 * never fails for its next date.
 */
final class NextRoutineRotation {

  private static final Logger log = ContextLogger.of(NextRoutineRotation.class);

  private final RotationContext rotation;

  NextRoutineRotation(RotationContext rotation) {
    this.rotation = rotation;
  }

  /**
   * Puts {@code next} on the secret's schedule, firing every {@code every} from then on.
   *
   * @return true when the schedule keeps the date; false when the caller must keep it on the timer
   */
  boolean onSchedule(RoutineSchedule next, Duration every) {
    try {
      ScheduleOutcome outcome =
          rotation.activities.routineSchedules.upsertRoutineSchedule(
              new RoutineScheduleRequest(
                  next.secret(),
                  next.dueAt(),
                  every,
                  next.lastRotationId(),
                  Workflow.getInfo().getTaskQueue()));
      if (!outcome.serverHasSchedules()) {
        return false;
      }
      rotation.event(TimelineOutcome.SUCCEEDED, SYSTEM_ACTOR, outcome.detail());
      return true;
    } catch (ActivityFailure notWritten) {
      String why = Failures.describe(notWritten);
      log.warn(
          "routine schedule of {} not written, the durable timer keeps it: {}", next.secret(), why);
      rotation.event(
          TimelineOutcome.FAILED,
          SYSTEM_ACTOR,
          "the routine schedule of "
              + next.secret()
              + " could not be written ("
              + why
              + "); a durable timer keeps its next date instead");
      return false;
    }
  }
}
