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
import java.time.temporal.ChronoUnit;
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
      String secret,
      Instant nextDue,
      Duration every,
      String lastRotationId,
      String taskQueue,
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
        .setSpec(
            ScheduleSpec.newBuilder()
                .setIntervals(List.of(interval(nextDue, every)))
                // The firing one interval before the due date is the rotation that just completed,
                // a few milliseconds ago: without a start it could still be ahead of the server's
                // now.
                .setStartAt(firstSecond(nextDue))
                .build())
        .setPolicy(
            SchedulePolicy.newBuilder()
                // A firing runs until its rotation ends; one due meanwhile is not stacked on it.
                .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                // A firing missed while the server was down runs when it is back, within one
                // interval.
                .setCatchupWindow(every)
                .build())
        .setState(state)
        .build();
  }

  /**
   * Every {@code every} counted from the Unix epoch, offset so that {@code nextDue} (rounded up to
   * the second) is one of the firings; the schedule's start makes it the first.
   */
  static ScheduleIntervalSpec interval(Instant nextDue, Duration every) {
    long offset = Math.floorMod(firstSecond(nextDue).getEpochSecond(), every.getSeconds());
    return new ScheduleIntervalSpec(every, Duration.ofSeconds(offset));
  }

  /** {@code due} rounded up to the second: schedules fire on whole seconds, never early. */
  static Instant firstSecond(Instant due) {
    Instant second = due.truncatedTo(ChronoUnit.SECONDS);
    return second.equals(due) ? due : second.plusSeconds(1);
  }

  /** The interval of an existing schedule of this shape, or null when it has none. */
  static Duration every(Schedule schedule) {
    return schedule.getSpec().getIntervals().stream()
        .findFirst()
        .map(ScheduleIntervalSpec::getEvery)
        .orElse(null);
  }

  private static String note(String secret, Duration every, String lastRotationId) {
    return "routine rotation of "
        + secret
        + " every "
        + every
        + (lastRotationId == null ? "" : ", next date set by rotation " + lastRotationId)
        + "; pause to hold it, trigger to rotate now (the approvals still apply)";
  }
}
