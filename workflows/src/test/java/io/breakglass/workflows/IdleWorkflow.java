package io.breakglass.workflows;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;

/** Waiting for a workflow to be idle before a test cancels it (the API's tests use it too). */
public final class IdleWorkflow {

  private IdleWorkflow() {}

  /**
   * Waits until workflow {@code workflowId} is idle: every workflow task it was given is completed
   * and no activity of it is in flight. Cancel only an idle workflow on this server: a cancel that
   * makes a workflow task ask to cancel an activity which completed while that task ran gets the
   * task's completion refused ({@code FAILED_PRECONDITION: ACTIVITY_UNKNOWN}), and the test server
   * then never gives the workflow another task, so it hangs; a real server ignores such a request.
   * Time skipping is locked while the test waits, so an idle workflow stays idle until the test
   * acts.
   */
  public static void await(WorkflowClient client, String workflowId) {
    Awaitility.await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> idle(client.fetchHistory(workflowId).getEvents()));
  }

  /** Whether the history, one snapshot, has no workflow task open and no activity in flight. */
  private static boolean idle(List<HistoryEvent> events) {
    long lastTaskScheduled = 0;
    long lastTaskCompleted = 0;
    Set<Long> activities = new HashSet<>();
    for (HistoryEvent event : events) {
      switch (event.getEventType()) {
        case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> lastTaskScheduled = event.getEventId();
        case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> lastTaskCompleted = event.getEventId();
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> activities.add(event.getEventId());
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
            activities.remove(
                event.getActivityTaskCompletedEventAttributes().getScheduledEventId());
        case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
            activities.remove(event.getActivityTaskFailedEventAttributes().getScheduledEventId());
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT ->
            activities.remove(event.getActivityTaskTimedOutEventAttributes().getScheduledEventId());
        case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
            activities.remove(event.getActivityTaskCanceledEventAttributes().getScheduledEventId());
        default -> {}
      }
    }
    return lastTaskCompleted > lastTaskScheduled && activities.isEmpty();
  }
}
