package io.breakglass.worker.rotation;

import io.breakglass.workflows.ReencryptDataSetWorkflow;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.VersionIds;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.List;

/** A simulated rotation's histories, read back from Temporal. */
final class RotationHistories {

  private RotationHistories() {}

  /** Every run of the data set's child, following the continue-as-new chain from the first. */
  static List<WorkflowExecutionHistory> childRuns(
      WorkflowClient client, String rotationId, String dataSet, String secret) {
    String childId =
        ReencryptDataSetWorkflow.workflowId(
            rotationId, dataSet, VersionIds.forRotation(rotationId, secret));
    WorkflowExecutionHistory parent = client.fetchHistory(RotationWorkflow.workflowId(rotationId));
    String runId =
        parent.getEvents().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)
            .map(
                e ->
                    e.getChildWorkflowExecutionStartedEventAttributes()
                        .getWorkflowExecution()
                        .getRunId())
            .findFirst()
            .orElseThrow();
    List<WorkflowExecutionHistory> runs = new ArrayList<>();
    while (runId != null) {
      WorkflowExecutionHistory run = client.fetchHistory(childId, runId);
      runs.add(run);
      HistoryEvent last = run.getLastEvent();
      runId =
          last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
              ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId()
              : null;
    }
    return runs;
  }

  /** Events of {@code type} in {@code history}. */
  static long count(WorkflowExecutionHistory history, EventType type) {
    return history.getEvents().stream().filter(e -> e.getEventType() == type).count();
  }

  /** The progress reports the rotation received: the reportProgress signals in its history. */
  static long progressReports(WorkflowClient client, String rotationId) {
    return client.fetchHistory(RotationWorkflow.workflowId(rotationId)).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .filter(
            e ->
                e.getWorkflowExecutionSignaledEventAttributes()
                    .getSignalName()
                    .equals("reportProgress"))
        .count();
  }
}
