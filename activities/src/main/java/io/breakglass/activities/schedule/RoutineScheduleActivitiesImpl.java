package io.breakglass.activities.schedule;

import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.RoutineRotationWorkflow;
import io.breakglass.workflows.RoutineSchedule;
import io.breakglass.workflows.ScheduledRoutineRotationWorkflow;
import io.breakglass.workflows.activities.RoutineScheduleActivities;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecution;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RoutineScheduleActivities} through Temporal's schedule API, with the client of the worker
 * that runs the activity. Whether the server has Schedules is its own answer to the first call
 * (UNIMPLEMENTED on the Java test server): no configuration to keep in step with the server.
 */
public final class RoutineScheduleActivitiesImpl implements RoutineScheduleActivities {

  private static final Logger log = LoggerFactory.getLogger(RoutineScheduleActivitiesImpl.class);

  /** How long a firing's check waits for the schedule's record of the start. */
  static final Duration RECORD_WAIT = Duration.ofSeconds(20);

  private static final Duration RECORD_POLL = Duration.ofMillis(250);

  private final Supplier<WorkflowClient> client;

  /** With the client of the worker running the activity. */
  public RoutineScheduleActivitiesImpl() {
    this(() -> Activity.getExecutionContext().getWorkflowClient());
  }

  /** With {@code client}, for callers outside an activity (tests, tools). */
  public RoutineScheduleActivitiesImpl(Supplier<WorkflowClient> client) {
    this.client = client;
  }

  @Override
  public ScheduleOutcome upsertRoutineSchedule(RoutineScheduleRequest request) {
    if (request.every() != null && request.every().getSeconds() < 1) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "a routine rotation interval must be at least one second, not " + request.every());
    }
    WorkflowClient workflows = client.get();
    String id = RoutineScheduleActivities.scheduleId(request.secret());
    ScheduleHandle handle = schedules(workflows).getHandle(id);
    Optional<ScheduleDescription> existing;
    try {
      existing = Optional.of(handle.describe());
    } catch (RuntimeException e) {
      if (ScheduleServerAnswers.noSchedules(e)) {
        return new ScheduleOutcome(false, false, "the Temporal server has no Schedules");
      }
      if (!ScheduleServerAnswers.notFound(e)) {
        throw e;
      }
      existing = Optional.empty();
    }
    ScheduleOutcome outcome;
    if (existing.isPresent()) {
      outcome = move(handle, existing.get(), request);
      tellWaitingFirings(workflows, existing.get(), request);
    } else if (request.every() == null) {
      return new ScheduleOutcome(
          true, false, "no schedule " + id + " to move (deleted by an operator?)");
    } else {
      outcome = create(workflows, handle, request);
    }
    endDurableTimer(workflows, request.secret());
    log.info("{}", outcome.detail());
    return outcome;
  }

  @Override
  public StartCheck confirmScheduledStart(ScheduledRun run) {
    String id = RoutineScheduleActivities.scheduleId(run.secret());
    ScheduleHandle handle = schedules(client.get()).getHandle(id);
    Instant deadline = Instant.now().plus(RECORD_WAIT);
    while (true) {
      ScheduleDescription description;
      try {
        description = handle.describe();
      } catch (RuntimeException e) {
        if (ScheduleServerAnswers.noSchedules(e)) {
          return new StartCheck(false, "the Temporal server has no Schedules");
        }
        if (ScheduleServerAnswers.notFound(e)) {
          return new StartCheck(false, "there is no schedule " + id);
        }
        throw e;
      }
      Optional<String> firing = firing(description, run);
      if (firing.isPresent()) {
        return new StartCheck(true, "started by schedule " + id + " " + firing.get());
      }
      if (Instant.now().isAfter(deadline)) {
        return new StartCheck(
            false,
            "the schedule's record of its recent and running firings does not name run "
                + run.runId()
                + " of "
                + run.workflowId());
      }
      sleep(RECORD_POLL);
    }
  }

  private static ScheduleOutcome move(
      ScheduleHandle handle, ScheduleDescription existing, RoutineScheduleRequest request) {
    Schedule current = existing.getSchedule();
    Duration every =
        request.every() != null ? request.every() : RoutineScheduleShape.every(current);
    if (every == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "schedule "
              + existing.getId()
              + " has no interval to keep; it was not made by Breakglass");
    }
    handle.update(
        input ->
            new ScheduleUpdate(
                RoutineScheduleShape.of(
                    request.secret(),
                    request.nextDue(),
                    every,
                    request.lastRotationId(),
                    request.taskQueue(),
                    input.getDescription().getSchedule().getState())));
    boolean paused = current.getState().isPaused();
    return new ScheduleOutcome(
        true,
        paused,
        "routine schedule "
            + existing.getId()
            + " moved: next firing "
            + request.nextDue()
            + ", every "
            + every
            + (paused ? "; it stays paused, as an operator left it" : ""));
  }

  private static ScheduleOutcome create(
      WorkflowClient workflows, ScheduleHandle handle, RoutineScheduleRequest request) {
    Schedule schedule =
        RoutineScheduleShape.of(
            request.secret(),
            request.nextDue(),
            request.every(),
            request.lastRotationId(),
            request.taskQueue(),
            null);
    try {
      schedules(workflows)
          .createSchedule(handle.getId(), schedule, ScheduleOptions.newBuilder().build());
    } catch (ScheduleAlreadyRunningException createdMeanwhile) {
      return move(handle, handle.describe(), request);
    }
    return new ScheduleOutcome(
        true,
        false,
        "routine schedule "
            + handle.getId()
            + " created: first firing "
            + request.nextDue()
            + ", every "
            + request.every());
  }

  /**
   * Tells the schedule's running firings that the date moved: one still waiting for the secret's
   * lock (held by the rotation that just completed) then starts nothing.
   */
  private static void tellWaitingFirings(
      WorkflowClient workflows, ScheduleDescription existing, RoutineScheduleRequest request) {
    RoutineSchedule moved =
        new RoutineSchedule(request.secret(), request.nextDue(), request.lastRotationId());
    for (ScheduleActionExecutionStartWorkflow firing :
        startedWorkflows(existing.getInfo().getRunningActions())) {
      try {
        workflows
            .newWorkflowStub(
                ScheduledRoutineRotationWorkflow.class,
                firing.getWorkflowId(),
                Optional.of(firing.getFirstExecutionRunId()))
            .scheduleMoved(moved);
      } catch (WorkflowNotFoundException ended) {
        // It ended between the describe and the signal: nothing waits.
      }
    }
  }

  /**
   * Terminates the secret's durable-timer workflow if one runs: it was left by a server or a
   * release without Schedules, and would start a second routine rotation beside the schedule's. A
   * rotation it started runs on (its parent close policy abandons it).
   */
  private static void endDurableTimer(WorkflowClient workflows, String secret) {
    String timerId = RoutineRotationWorkflow.workflowId(secret);
    WorkflowStub timer = workflows.newUntypedWorkflowStub(timerId);
    try {
      WorkflowExecutionDescription description = timer.describe();
      if (description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
          && "RoutineRotationWorkflow".equals(description.getWorkflowType())) {
        timer.terminate(
            "superseded by Temporal Schedule " + RoutineScheduleActivities.scheduleId(secret));
        log.info("durable timer {} terminated: the Temporal Schedule keeps the date now", timerId);
      }
    } catch (WorkflowNotFoundException none) {
      // No timer: the usual case.
    } catch (RuntimeException e) {
      if (!ScheduleServerAnswers.notFound(e)) {
        throw e;
      }
    }
  }

  /** {@code "(firing scheduled at T, started at T')"} when the schedule's record names the run. */
  private static Optional<String> firing(ScheduleDescription description, ScheduledRun run) {
    for (ScheduleActionResult recent : description.getInfo().getRecentActions()) {
      if (names(recent.getAction(), run)) {
        return Optional.of(
            "(firing scheduled at "
                + recent.getScheduledAt()
                + ", started at "
                + recent.getStartedAt()
                + ")");
      }
    }
    for (ScheduleActionExecution running : description.getInfo().getRunningActions()) {
      if (names(running, run)) {
        return Optional.of("(a running firing)");
      }
    }
    return Optional.empty();
  }

  private static boolean names(ScheduleActionExecution action, ScheduledRun run) {
    return action instanceof ScheduleActionExecutionStartWorkflow started
        && run.workflowId().equals(started.getWorkflowId())
        && run.runId().equals(started.getFirstExecutionRunId());
  }

  private static List<ScheduleActionExecutionStartWorkflow> startedWorkflows(
      List<ScheduleActionExecution> actions) {
    List<ScheduleActionExecutionStartWorkflow> started = new ArrayList<>();
    for (ScheduleActionExecution action : actions) {
      if (action instanceof ScheduleActionExecutionStartWorkflow workflow) {
        started.add(workflow);
      }
    }
    return started;
  }

  /** A schedule client on the workflow client's connection, namespace and payload codec. */
  private static ScheduleClient schedules(WorkflowClient workflows) {
    WorkflowClientOptions options = workflows.getOptions();
    return ScheduleClient.newInstance(
        workflows.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder()
            .setNamespace(options.getNamespace())
            .setDataConverter(options.getDataConverter())
            .setIdentity(options.getIdentity())
            .build());
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the schedule's record", e);
    }
  }
}
