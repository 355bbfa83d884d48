package io.breakglass.workflows;

import io.breakglass.workflows.activities.RoutineScheduleActivities;
import io.breakglass.workflows.activities.RoutineScheduleActivities.RoutineScheduleRequest;
import io.breakglass.workflows.activities.RoutineScheduleActivities.ScheduledRun;
import io.breakglass.workflows.activities.RoutineScheduleActivities.StartCheck;
import io.breakglass.workflows.messages.queries.RotationResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;

/** {@link ScheduledRoutineRotationWorkflow}: one firing of a secret's routine schedule. */
public class ScheduledRoutineRotationWorkflowImpl implements ScheduledRoutineRotationWorkflow {

  private static final Logger log = ContextLogger.of(ScheduledRoutineRotationWorkflowImpl.class);

  /** A trigger from the Web UI may fire twice a day: the rotation id names the second. */
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final RoutineScheduleActivities schedules = RotationActivities.routineSchedules();
  private final DueRotationLock lock;
  private boolean moved;

  @WorkflowInit
  public ScheduledRoutineRotationWorkflowImpl(ScheduledRoutineStart start) {
    String secret = start == null ? null : start.secret();
    lock = new DueRotationLock(at -> rotationId(secret, at), () -> moved);
  }

  @Override
  public String run(ScheduledRoutineStart start) {
    String secret = confirmedSecret(start);
    String rotationId = lock.take(secret);
    if (rotationId == null) {
      return "no rotation started: "
          + secret
          + " was rotated while this firing waited for its lock";
    }
    String scheduleId = RoutineScheduleActivities.scheduleId(secret);
    try {
      RotationResult result =
          RoutineRotationChild.run(
              rotationId, secret, "routine rotation started by schedule " + scheduleId);
      return "rotation "
          + rotationId
          + " completed; next routine rotation due "
          + result.nextRotationDue();
    } catch (ChildWorkflowFailure notCompleted) {
      String why =
          "rotation " + rotationId + " did not complete (" + Failures.describe(notCompleted) + ")";
      if (moved) {
        return why + "; the schedule has moved since";
      }
      return why + "; " + retryLater(secret);
    }
  }

  @Override
  public void scheduleMoved(RoutineSchedule schedule) {
    moved = true;
  }

  @Override
  public LockWait lockWait() {
    return lock.waiting();
  }

  /**
   * The secret of this firing, once Temporal confirms that the secret's schedule started it; throws
   * {@code UNVERIFIED_INITIATOR} otherwise, before any lock or rotation.
   */
  private String confirmedSecret(ScheduledRoutineStart start) {
    String workflowId = Workflow.getInfo().getWorkflowId();
    if (start == null
        || start.secret() == null
        || !ScheduledRoutineRotationWorkflow.isFiringOf(start.secret(), workflowId)) {
      throw RotationErrors.UNVERIFIED_INITIATOR.failure(
          workflowId + " is no firing of the routine schedule of the secret it names");
    }
    String secret = start.secret();
    StartCheck check =
        schedules.confirmScheduledStart(
            new ScheduledRun(secret, workflowId, Workflow.getInfo().getFirstExecutionRunId()));
    if (!check.confirmed()) {
      throw RotationErrors.UNVERIFIED_INITIATOR.failure(
          workflowId
              + " was not started by schedule "
              + RoutineScheduleActivities.scheduleId(secret)
              + ": "
              + check.detail());
    }
    log.info("{}: {}", workflowId, check.detail());
    return secret;
  }

  /** Like the durable timer, tries a rotation that did not complete again after a week. */
  private String retryLater(String secret) {
    Instant retry =
        Instant.ofEpochMilli(Workflow.currentTimeMillis())
            .plus(RoutineRotationWorkflowImpl.RETRY_AFTER);
    try {
      schedules.upsertRoutineSchedule(
          new RoutineScheduleRequest(secret, retry, null, null, Workflow.getInfo().getTaskQueue()));
      return "the schedule fires again at " + retry;
    } catch (ActivityFailure notMoved) {
      log.warn("schedule of {} not moved to {}: {}", secret, retry, Failures.describe(notMoved));
      return "the schedule could not be moved ("
          + Failures.describe(notMoved)
          + "); it fires at its next interval";
    }
  }

  /** The rotation id of a firing: the routine id with the second it starts. */
  static String rotationId(String secret, Instant at) {
    return RoutineRotationWorkflowImpl.rotationId(secret, SECOND.format(at));
  }
}
