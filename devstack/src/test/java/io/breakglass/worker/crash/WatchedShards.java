package io.breakglass.worker.crash;

import io.breakglass.workflows.activities.ReencryptActivities;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real shard activity, telling {@link BatchEvents#afterShard} each time a shard has returned
 * its result, in the activity's own thread, before the worker reports the result to Temporal.
 */
final class WatchedShards implements ReencryptActivities {

  private final ReencryptActivities shards;
  private final BatchEvents events;
  private final AtomicInteger completed = new AtomicInteger();

  WatchedShards(ReencryptActivities shards, BatchEvents events) {
    this.shards = shards;
    this.events = events;
  }

  @Override
  public ShardResult reencryptShard(ShardRequest request) {
    ShardResult result = shards.reencryptShard(request);
    events.afterShard(completed.incrementAndGet());
    return result;
  }
}
