package io.breakglass.workflows;

import io.breakglass.workflows.activities.ReencryptActivities;
import io.breakglass.workflows.activities.ReencryptActivities.ShardRequest;
import io.breakglass.workflows.activities.ReencryptActivities.ShardResult;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.values.DataSetPlan;
import io.breakglass.workflows.messages.values.ShardRange;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Re-encrypts one data set as shard activities, at most {@code concurrency} at a time, so the
 * shards spread over every worker polling the task queue. It stops scheduling new shards after a
 * failure, on cancellation, or while the rotation is halted, and always waits for the shards in
 * flight before it returns: nothing may still be writing when a compensation starts. Shards run in
 * a detached scope, so cancelling the rotation lets a running shard finish its (bounded) work
 * instead of racing it with the reverse re-encryption.
 */
final class ReencryptionFanOut {

  /** How a data set's run ended. */
  record Outcome(String dataSet, long scanned, long reencrypted, RuntimeException failure) {
    boolean succeeded() {
      return failure == null;
    }
  }

  private final ReencryptActivities activities;
  private final Runnable beforeShard;
  private final Map<String, DataSetProgress> progress;

  /**
   * @param activities the shard activity stub
   * @param beforeShard runs before each shard is scheduled; blocks while halted, may throw
   * @param progress where the status query reads per-data-set progress
   */
  ReencryptionFanOut(
      ReencryptActivities activities, Runnable beforeShard, Map<String, DataSetProgress> progress) {
    this.activities = activities;
    this.beforeShard = beforeShard;
    this.progress = progress;
  }

  /** Starts the data set in its own workflow thread. */
  Promise<Outcome> start(
      String rotationId, DataSetPlan dataSet, String targetVersionId, List<String> sources) {
    return Async.function(() -> run(rotationId, dataSet, targetVersionId, sources));
  }

  private Outcome run(
      String rotationId, DataSetPlan dataSet, String targetVersionId, List<String> sources) {
    String targetKeyId = dataSet.secret() + ":" + targetVersionId;
    progress.put(
        dataSet.name(),
        new DataSetProgress(
            dataSet.name(), targetKeyId, dataSet.itemCount(), 0, 0, 0, dataSet.shards().size()));
    WorkflowSemaphore slots = Workflow.newWorkflowSemaphore(Math.max(1, dataSet.concurrency()));
    List<Promise<Void>> finished = new ArrayList<>();
    RuntimeException[] failure = {null};
    for (ShardRange shard : dataSet.shards()) {
      try {
        slots.acquire();
        // Checked once a slot is free, so a halt that came while waiting for it still holds.
        try {
          beforeShard.run();
        } catch (RuntimeException stop) {
          slots.release();
          throw stop;
        }
      } catch (RuntimeException stop) {
        failure[0] = stop;
      }
      if (failure[0] != null) {
        break;
      }
      ShardRequest request =
          new ShardRequest(rotationId, dataSet.name(), shard, targetVersionId, sources);
      Promise<ShardResult> shardRun = detached(() -> Async.function(activities::reencryptShard, request));
      finished.add(
          shardRun
              .handle(
                  (result, error) -> {
                    slots.release();
                    if (error != null) {
                      if (failure[0] == null) {
                        failure[0] = error;
                      }
                    } else {
                      record(dataSet.name(), result);
                    }
                    return null;
                  }));
    }
    Promise.allOf(finished).get();
    DataSetProgress done = progress.get(dataSet.name());
    return new Outcome(dataSet.name(), done.itemsDone(), done.itemsReencrypted(), failure[0]);
  }

  private static <T> T detached(Supplier<T> start) {
    List<T> started = new ArrayList<>(1);
    Workflow.newDetachedCancellationScope(() -> started.add(start.get())).run();
    return started.get(0);
  }

  private void record(String dataSet, ShardResult result) {
    DataSetProgress p = progress.get(dataSet);
    progress.put(
        dataSet,
        new DataSetProgress(
            dataSet,
            p.targetKeyId(),
            p.itemsPlanned(),
            p.itemsDone() + result.scanned(),
            p.itemsReencrypted() + result.reencrypted(),
            p.shardsDone() + 1,
            p.shardsTotal()));
  }
}
