package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;

import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A rotation of both data keys cancelled while its first {@code createVersion} is in flight, held
 * by {@link HeldCreateVersion}. The held call goes on once the workflow has shown, in its history,
 * what it does with the cancel: when it scheduled another activity after asking for the activity to
 * be cancelled, it compensates without waiting, and the held call goes on once the discard has run
 * (the race a real cancel can lose); when it scheduled nothing, it waits for the activity to end,
 * and the held call is released. No step depends on timing, so the outcome is the same every run.
 */
final class CancelDuringCreateVersion {

  /**
   * @param heldSecret the secret whose createVersion was in flight when the cancel came
   * @param end the last status of the rotation
   * @param failure how the workflow ended
   * @param discardedWhileCreating whether its discard ran while the create was still in flight
   */
  record Outcome(
      String heldSecret, RotationStatus end, WorkflowFailedException failure, boolean discardedWhileCreating) {}

  private CancelDuringCreateVersion() {}

  static Outcome run(
      WorkflowClient client, WorkflowOptions options, HeldCreateVersion secrets, String rotationId)
      throws InterruptedException {
    WorkflowStub stub =
        RotationTests.start(client, options, RotationTests.emergency(rotationId, ARTIFACT_KEY, PAYLOAD_KEY));
    String held;
    RotationStatus end;
    try (Operator operator = new Operator(client, rotationId).approves(GateName.PROCEED, "bob").start()) {
      held = secrets.awaitHeld(Duration.ofMinutes(1));
      stub.cancel();
      if (!movedOnAfterCancelRequest(client, RotationWorkflow.workflowId(rotationId), Duration.ofMinutes(1))) {
        secrets.release();
      }
      secrets.awaitEnded(Duration.ofMinutes(1));
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }
    WorkflowFailedException failure = null;
    try {
      stub.getResult(Object.class);
    } catch (WorkflowFailedException e) {
      failure = e;
    }
    return new Outcome(held, end, failure, secrets.discardedWhileHeld());
  }

  /**
   * Waits until the workflow has asked for an activity to be cancelled; returns whether it scheduled
   * another activity after that request. A workflow task's commands are written together, so once
   * the request is in the history, so is whatever the workflow did next without waiting.
   */
  private static boolean movedOnAfterCancelRequest(WorkflowClient client, String workflowId, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      List<EventType> events =
          client.fetchHistory(workflowId).getEvents().stream().map(HistoryEvent::getEventType).toList();
      int request = events.indexOf(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
      if (request >= 0) {
        return events.subList(request, events.size()).contains(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the workflow did not ask for createVersion to be cancelled within " + timeout);
  }
}
