package io.breakglass.worker;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A one-activity workflow: enough to prove a worker, a server and a client work together. */
@WorkflowInterface
public interface ProbeWorkflow {

  /** Runs {@link ProbeActivities#work} once and returns its answer. */
  @WorkflowMethod
  String run(String input);
}
