package io.breakglass.worker.bench;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a rotation wrote into Temporal, read back from the server: every history of the rotation
 * (the parent's, each child's, and each run a child continued as new into), their events, and the
 * largest single history, which is what Temporal's per-history limits apply to.
 *
 * @param rows rows the rotation re-encrypted
 * @param histories histories read (one per workflow run)
 * @param events events in all of them
 * @param largestEvents events in the longest history
 * @param largestBytes serialized size of the largest history
 * @param largest which workflow run the longest history is
 */
record HistoryBudget(
    long rows, int histories, long events, long largestEvents, long largestBytes, String largest) {

  /** Rows re-encrypted per history event of the whole rotation. */
  double rowsPerEvent() {
    return events == 0 ? 0 : (double) rows / events;
  }

  /**
   * Reads the histories of the workflow {@code workflowId} (its latest run) and, transitively, of
   * every child it started and every run a child continued as new into.
   */
  static HistoryBudget read(WorkflowClient client, String workflowId, long rows) {
    Deque<WorkflowExecution> pending = new ArrayDeque<>();
    pending.add(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build());
    int histories = 0;
    long events = 0;
    long largestEvents = 0;
    long largestBytes = 0;
    String largest = "";
    while (!pending.isEmpty()) {
      WorkflowExecution run = pending.poll();
      WorkflowExecutionHistory history =
          run.getRunId().isEmpty()
              ? client.fetchHistory(run.getWorkflowId())
              : client.fetchHistory(run.getWorkflowId(), run.getRunId());
      histories++;
      events += history.getEvents().size();
      largestBytes = Math.max(largestBytes, history.getHistory().getSerializedSize());
      if (history.getEvents().size() > largestEvents) {
        largestEvents = history.getEvents().size();
        largest = run.getWorkflowId() + (run.getRunId().isEmpty() ? "" : " run " + run.getRunId());
      }
      for (HistoryEvent event : history.getEvents()) {
        if (event.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
          pending.add(
              event.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution());
        } else if (event.getEventType()
            == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
          pending.add(
              WorkflowExecution.newBuilder()
                  .setWorkflowId(run.getWorkflowId())
                  .setRunId(
                      event
                          .getWorkflowExecutionContinuedAsNewEventAttributes()
                          .getNewExecutionRunId())
                  .build());
        }
      }
    }
    return new HistoryBudget(rows, histories, events, largestEvents, largestBytes, largest);
  }
}
