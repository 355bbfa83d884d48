package io.breakglass.activities.lock;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import java.util.Optional;

/** {@link HolderWorkflows} through a Temporal client: DescribeWorkflowExecution by workflow id. */
public final class TemporalHolderWorkflows implements HolderWorkflows {

  private final WorkflowClient client;

  public TemporalHolderWorkflows(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public Optional<WorkflowExecutionStatus> status(String workflowId) {
    return describe(workflowId).map(WorkflowExecutionDescription::getStatus);
  }

  /**
   * The latest run of {@code workflowId} as Temporal describes it (status, close time), or empty
   * when Temporal has no such workflow.
   *
   * @throws HolderUnknownException when Temporal does not answer
   */
  public Optional<WorkflowExecutionDescription> describe(String workflowId) {
    try {
      return Optional.of(client.newUntypedWorkflowStub(workflowId).describe());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      if (notFound(e)) {
        return Optional.empty();
      }
      throw new HolderUnknownException(
          "Temporal did not say whether workflow " + workflowId + " still runs", e);
    }
  }

  private static boolean notFound(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException grpc
          && grpc.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }
}
