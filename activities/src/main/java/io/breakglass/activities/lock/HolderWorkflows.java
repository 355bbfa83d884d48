package io.breakglass.activities.lock;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.Optional;

/** Tells how the workflow of a lock's holder stands, so that only a running holder blocks. */
@FunctionalInterface
public interface HolderWorkflows {

  /**
   * The status of the newest run of {@code workflowId}; empty when Temporal does not know it (it
   * was never started, or it is past retention).
   *
   * @throws HolderUnknownException when Temporal cannot be asked
   */
  Optional<WorkflowExecutionStatus> status(String workflowId);
}
