package io.breakglass.worker.bench;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Every history a rotation wrote into Temporal, read back from the server: the parent's, each
 * child's, and each run a child continued as new into.
 */
final class RotationHistories {

  /** One workflow run's history, and which run it is. */
  record Run(String name, WorkflowExecutionHistory history) {}

  private RotationHistories() {}

  /**
   * Reads the histories of the workflow {@code workflowId} (its latest run) and, transitively, of
   * every child it started and every run a child continued as new into.
   */
  static List<Run> read(WorkflowClient client, String workflowId) {
    Deque<WorkflowExecution> pending = new ArrayDeque<>();
    pending.add(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build());
    List<Run> runs = new ArrayList<>();
    while (!pending.isEmpty()) {
      WorkflowExecution run = pending.poll();
      WorkflowExecutionHistory history =
          run.getRunId().isEmpty()
              ? client.fetchHistory(run.getWorkflowId())
              : client.fetchHistory(run.getWorkflowId(), run.getRunId());
      runs.add(
          new Run(
              run.getWorkflowId() + (run.getRunId().isEmpty() ? "" : " run " + run.getRunId()),
              history));
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
    return runs;
  }
}
