package io.breakglass.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The routine rotation schedule of one secret, as a durable timer: it sleeps until the secret is
 * due, then starts a ROUTINE {@link RotationWorkflow} (two approvers by default). Every completed
 * rotation moves the date with {@link #reschedule}. While another running rotation holds the
 * secret's lock, the due rotation waits for it (see {@link #lockWait}) instead of failing. It works
 * on any Temporal server, including the test server, which has no Schedules; where the server has
 * them, a completed rotation keeps the date on the secret's Temporal Schedule instead and ends this
 * timer (see {@code RoutineScheduleActivities}).
 */
@WorkflowInterface
public interface RoutineRotationWorkflow {

  /** The workflow id of a secret's schedule: one per secret. */
  static String workflowId(String secret) {
    return "routine-rotation-" + secret;
  }

  /** The actor routine rotations are started by; it can never approve them. */
  String SCHEDULER = "breakglass-scheduler";

  /** Waits until due, starts the routine rotation, and goes on waiting for the next date. */
  @WorkflowMethod
  void run(RoutineSchedule schedule);

  /** Moves the due date (a rotation of the secret just completed). */
  @SignalMethod
  void reschedule(RoutineSchedule schedule);

  /** The date it waits for. */
  @QueryMethod
  RoutineSchedule schedule();

  /** Why the due rotation waits for the secret's lock; null when it does not. */
  @QueryMethod
  LockWait lockWait();
}
