package io.breakglass.workflows;

import io.breakglass.workflows.activities.RoutineScheduleActivities;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.regex.Pattern;

/**
 * One firing of a secret's routine Temporal Schedule ({@link RoutineScheduleActivities}): it
 * confirms with Temporal that the schedule started it, takes the secret's lock (waiting while
 * another rotation holds it), and starts the ROUTINE {@link RotationWorkflow} as its child, which
 * needs no initiator proof because of that parent. It waits for the rotation, so the Schedules page
 * shows the firing running until the rotation ends; one that does not complete (rejected, rolled
 * back) moves the schedule to try again after a week.
 *
 * <p>Temporal gives each firing the workflow id {@code routine-rotation-<secret>-<firing time, RFC
 * 3339>}; a rotation id cannot hold that time's colons, which is why the schedule starts this
 * workflow and not the rotation itself.
 */
@WorkflowInterface
public interface ScheduledRoutineRotationWorkflow {

  /** The time Temporal appends to the schedule's workflow id: {@code -2026-11-28T03:00:00Z}. */
  Pattern FIRING_TIME = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

  /**
   * Whether {@code workflowId} has the shape of a firing of {@code secret}'s schedule. The shape
   * alone proves nothing (any client may pick any id); the firing confirms its start with Temporal
   * before it starts a rotation.
   */
  static boolean isFiringOf(String secret, String workflowId) {
    String prefix = RoutineScheduleActivities.scheduleId(secret);
    return workflowId.startsWith(prefix)
        && FIRING_TIME.matcher(workflowId.substring(prefix.length())).matches();
  }

  /**
   * Confirms the start, starts the rotation when the lock is free, waits for it; says how it went.
   */
  @WorkflowMethod
  String run(ScheduledRoutineStart start);

  /**
   * The secret's date moved (a rotation of it just completed): a firing still waiting is no longer
   * due.
   */
  @SignalMethod
  void scheduleMoved(RoutineSchedule schedule);

  /** Why the firing waits for the secret's lock; null when it does not. */
  @QueryMethod
  LockWait lockWait();
}
