package io.breakglass.worker.crash;

import io.breakglass.workflows.ReencryptDataSetWorkflow;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.ReencryptActivities.ShardResult;
import io.breakglass.workflows.messages.values.DataSetRun;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the child workflow that re-encrypted a data set recorded: the result of every shard activity
 * (the engine's own counters), the attempt that produced it, and the totals it returned. It reads
 * the child's latest run, which holds every shard while the data set has at most {@link
 * ReencryptDataSetWorkflow#SHARDS_PER_RUN} of them.
 */
final class ReencryptionHistory {

  /**
   * @param result the shard's result as the workflow received it
   * @param attempt the attempt that completed it: above 1 when an earlier one was lost
   */
  record ShardRun(ShardResult result, int attempt) {}

  private final List<ShardRun> shards;
  private final DataSetRun run;

  private ReencryptionHistory(List<ShardRun> shards, DataSetRun run) {
    this.shards = List.copyOf(shards);
    this.run = run;
  }

  /**
   * The completed re-encryption of {@code dataSet} to rotation {@code rotationId}'s new version of
   * {@code secret}.
   */
  static ReencryptionHistory of(
      WorkflowClient client, String rotationId, String dataSet, String secret) {
    String childId =
        ReencryptDataSetWorkflow.workflowId(
            rotationId, dataSet, VersionIds.forRotation(rotationId, secret));
    DataConverter converter = client.getOptions().getDataConverter();
    List<HistoryEvent> events = client.fetchHistory(childId).getEvents();
    // By the shard's scheduled event: the test server does not always record the right started
    // event id in the completion.
    Map<Long, Integer> attempts = new HashMap<>();
    for (HistoryEvent event : events) {
      if (event.hasActivityTaskStartedEventAttributes()) {
        var started = event.getActivityTaskStartedEventAttributes();
        attempts.put(started.getScheduledEventId(), started.getAttempt());
      }
    }
    List<ShardRun> shards = new ArrayList<>();
    DataSetRun run = null;
    for (HistoryEvent event : events) {
      switch (event.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
          var completed = event.getActivityTaskCompletedEventAttributes();
          ShardResult result =
              converter.fromPayloads(
                  0, Optional.of(completed.getResult()), ShardResult.class, ShardResult.class);
          shards.add(new ShardRun(result, attempts.get(completed.getScheduledEventId())));
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED ->
            run =
                converter.fromPayloads(
                    0,
                    Optional.of(event.getWorkflowExecutionCompletedEventAttributes().getResult()),
                    DataSetRun.class,
                    DataSetRun.class);
        default -> {}
      }
    }
    if (run == null) {
      throw new AssertionError(childId + " has not completed");
    }
    return new ReencryptionHistory(shards, run);
  }

  /** Every shard, in the order they completed. */
  List<ShardRun> shards() {
    return shards;
  }

  /** The shards that completed on a later attempt than the first. */
  List<ShardRun> retried() {
    return shards.stream().filter(s -> s.attempt() > 1).toList();
  }

  /**
   * Items the shards found already under the target. On a data set that held none before the
   * rotation and that nobody else wrote meanwhile, these are the items a lost attempt had
   * re-encrypted after the checkpoint its retry resumed from: the work done twice.
   */
  long alreadyTarget() {
    return shards.stream().mapToLong(s -> s.result().alreadyTarget()).sum();
  }

  /** What the child returned: totals and the workers that ran its shards. */
  DataSetRun run() {
    return run;
  }
}
