package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.awaitility.Awaitility.await;

import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A rotation of both data keys cancelled while a forward call is held in flight ({@link HeldCall}).
 * The held call goes on once the workflow has shown, in its history, what it does with the cancel:
 * when it scheduled another activity after asking for the call to be cancelled, it compensates
 * without waiting, and the held call goes on once a compensation has run (the race a real cancel
 * can lose); when it scheduled nothing, it waits for the call to end, and the held call is
 * released. No step depends on timing, so the outcome is the same every run.
 */
final class CancelInFlight {

  /**
   * @param end the last status of the rotation
   * @param failure how the workflow ended
   * @param compensatedInFlight whether a compensation ran while the held call was in flight
   */
  record Outcome(
      RotationStatus end, WorkflowFailedException failure, boolean compensatedInFlight) {}

  private CancelInFlight() {}

  /**
   * Worker options under which an activity's heartbeats are sent at once instead of every 0.8 of
   * its heartbeat timeout, so a heartbeating activity learns of a cancel within a poll.
   */
  static WorkerOptions quickHeartbeats() {
    return WorkerOptions.newBuilder()
        .setMaxHeartbeatThrottleInterval(Duration.ofMillis(100))
        .build();
  }

  /**
   * {@link #run(WorkflowClient, WorkflowOptions, HeldCall, String, Predicate)}, cancelling at once.
   */
  static Outcome run(
      WorkflowClient client, WorkflowOptions options, HeldCall held, String rotationId)
      throws InterruptedException {
    return run(client, options, held, rotationId, status -> true);
  }

  /**
   * Starts rotation {@code rotationId}, approves PROCEED, cancels once {@code held} is in flight
   * and the status meets {@code cancelWhen}, confirms every restart the status lists as awaited,
   * and waits for the end and for the held call to end.
   */
  static Outcome run(
      WorkflowClient client,
      WorkflowOptions options,
      HeldCall held,
      String rotationId,
      Predicate<RotationStatus> cancelWhen)
      throws InterruptedException {
    WorkflowStub stub =
        RotationTests.start(
            client, options, RotationTests.emergency(rotationId, ARTIFACT_KEY, PAYLOAD_KEY));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, rotationId).approves(GateName.PROCEED, "bob").start()) {
      held.awaitEntered(Duration.ofMinutes(1));
      operator.awaitStatus(cancelWhen, Duration.ofMinutes(1));
      stub.cancel();
      if (!movedOnAfterCancelRequest(
          client, RotationWorkflow.workflowId(rotationId), Duration.ofMinutes(1))) {
        held.release();
      }
      held.awaitEnded(Duration.ofMinutes(1));
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }
    WorkflowFailedException failure = null;
    try {
      stub.getResult(Object.class);
    } catch (WorkflowFailedException e) {
      failure = e;
    }
    return new Outcome(end, failure, held.compensatedInFlight());
  }

  /**
   * Whether an operator has confirmed a restart: with a manual target, the operator may confirm
   * while the restart request is still in flight.
   */
  static boolean restartConfirmed(RotationStatus status) {
    return status.timeline().stream().anyMatch(e -> e.outcome() == TimelineOutcome.CONFIRMED);
  }

  /**
   * Waits until the workflow has asked for an activity to be cancelled; returns whether it
   * scheduled another activity after that request. A workflow task's commands are written together,
   * so once the request is in the history, so is whatever the workflow did next without waiting.
   */
  private static boolean movedOnAfterCancelRequest(
      WorkflowClient client, String workflowId, Duration timeout) {
    List<EventType> events =
        await()
            .dontCatchUncaughtExceptions()
            .alias("the workflow asks for the held call to be cancelled")
            .atMost(timeout)
            .pollInterval(Duration.ofMillis(20))
            .until(
                () ->
                    client.fetchHistory(workflowId).getEvents().stream()
                        .map(HistoryEvent::getEventType)
                        .toList(),
                history -> history.contains(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED));
    int request = events.indexOf(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
    return events
        .subList(request, events.size())
        .contains(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  }
}
