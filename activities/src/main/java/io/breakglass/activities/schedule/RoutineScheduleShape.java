package io.breakglass.activities.schedule;

import io.breakglass.workflows.ScheduledRoutineRotationWorkflow;
import io.breakglass.workflows.ScheduledRoutineStart;
import io.breakglass.workflows.activities.RoutineScheduleActivities;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The Temporal Schedule of a secret's routine rotation: every {@code every}, phased so that the
 * next firing is the due date; each firing starts a {@link ScheduledRoutineRotationWorkflow}.
 */
final class RoutineScheduleShape {

  private RoutineScheduleShape() {}

  /**
   * The schedule firing at {@code nextDue} and every {@code every} after it.
   *
   * @param kept the state of the schedule it replaces, or null for a new one: a paused schedule
   *     keeps its state (paused, with the operator's note); otherwise the note says what set the
   *     date
   */
  static Schedule of(
      String secret, Instant nextDue, Duration every, String lastRotationId, String taskQueue,
      ScheduleState kept) {
    ScheduleState state =
        kept != null && (kept.isPaused() || lastRotationId == null)
            ? kept
            : ScheduleState.newBuilder().setNote(note(secret, every, lastRotationId)).build();
    return Schedule.newBuilder()
        .setAction(
            ScheduleActionStartWorkflow.newBuilder()
                .setWorkflowType(ScheduledRoutineRotationWorkflow.class)
                .setArguments(new ScheduledRoutineStart(secret))
                .setOptions(
                    WorkflowOptions.newBuilder()
                        .setWorkflowId(RoutineScheduleActivities.scheduleId(secret))
                        .setTaskQueue(taskQueue)
                        .build())
                .build())
        .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(interval(nextDue, every))).build())
        .setPolicy(
            SchedulePolicy.newBuilder()
                // A firing runs until its rotation ends; one due meanwhile is not stacked on it.
                .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                // A firing missed while the server was down runs when it is back, within one interval.
                .setCatchupWindow(every)
                .build())
        .setState(state)
        .build();
  }

  /**
   * Every {@code every} counted from the Unix epoch, offset so that {@code nextDue} (rounded up to
   * the second, so it never fires early) is one of the firings.
   */
  static ScheduleIntervalSpec interval(Instant nextDue, Duration every) {
    long dueSecond = nextDue.getNano() == 0 ? nextDue.getEpochSecond() : nextDue.getEpochSecond() + 1;
    long offset = Math.floorMod(dueSecond, every.getSeconds());
    return new ScheduleIntervalSpec(every, Duration.ofSeconds(offset));
  }

  /** The interval of an existing schedule of this shape, or null when it has none. */
  static Duration every(Schedule schedule) {
    return schedule.getSpec().getIntervals().stream()
        .findFirst()
        .map(ScheduleIntervalSpec::getEvery)
        .orElse(null);
  }

  private static String note(String secret, Duration every, String lastRotationId) {
    return "routine rotation of " + secret + " every " + every
        + (lastRotationId == null ? "" : ", next date set by rotation " + lastRotationId)
        + "; pause to hold it, trigger to rotate now (the approvals still apply)";
  }
}
