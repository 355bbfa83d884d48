package io.breakglass.workflows;

import io.breakglass.workflows.messages.commands.DataSetJob;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.values.DataSetRun;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Re-encrypts one data set for a rotation, as a child workflow: its shards run as activities on
 * every worker polling the task queue, at most {@code concurrency} at a time, and it continues as
 * new every {@value #SHARDS_PER_RUN} shards, so a data set of any size keeps each history short. It
 * reports progress to the rotation and stops scheduling shards while paused.
 */
@WorkflowInterface
public interface ReencryptDataSetWorkflow {

  /**
   * Shards one run schedules before it continues as new (at most 6 history events each; {@link
   * ShardRuns} has the whole budget).
   */
  int SHARDS_PER_RUN = 800;

  /** The child's workflow id: one per rotation, data set and target version. */
  static String workflowId(String rotationId, String dataSet, String targetVersionId) {
    return RotationWorkflow.workflowId(rotationId)
        + "-reencrypt-"
        + dataSet
        + "-"
        + targetVersionId;
  }

  /**
   * Runs every shard; returns the totals, or fails with the first shard's failure (type and
   * message) once the shards in flight have finished.
   */
  @WorkflowMethod
  DataSetRun reencrypt(DataSetJob job);

  /** Start no new shard until {@link #proceed}. */
  @SignalMethod
  void pause();

  /** Schedule shards again. */
  @SignalMethod
  void proceed();

  @QueryMethod
  DataSetProgress progress();
}
