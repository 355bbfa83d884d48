package io.breakglass.worker.crash;

import io.breakglass.activities.config.DataSetConfig;
import java.time.Duration;

/**
 * The most items a shard's retry may find already re-encrypted by the attempt a killed worker lost
 * (docs/architecture.md, performance targets: one batch plus the heartbeat lag). The worker
 * heartbeats the checkpoint after every committed batch; the SDK sends the first heartbeat at once
 * and then, at most every 0.8 × heartbeatTimeout, the latest one (docs/architecture.md). So the
 * checkpoint the retry resumes from misses at most the batches committed in the last 0.8 ×
 * heartbeatTimeout before the kill; the data set's rate limit caps those at the shard's share of
 * itemsPerSecond over that time, plus the one batch that was under way when that time began.
 *
 * @param batchSize items per batch
 * @param shardItemsPerSecond one shard's share of the data set's rate limit
 * @param heartbeatTimeout the data set's heartbeat timeout
 */
record RedoBound(int batchSize, int shardItemsPerSecond, Duration heartbeatTimeout) {

  /** The bound for a data set; it needs a rate limit, else the lag has no size in items. */
  static RedoBound of(DataSetConfig dataSet) {
    if (dataSet.itemsPerSecond() == 0) {
      throw new IllegalArgumentException(
          dataSet.name() + " has no rate limit: its heartbeat lag has no bound in items");
    }
    // The child workflow gives each running shard this share (ReencryptDataSetWorkflowImpl).
    int share = Math.max(1, dataSet.itemsPerSecond() / dataSet.concurrency());
    return new RedoBound(dataSet.batchSize(), share, dataSet.heartbeatTimeout());
  }

  /** How far the server's checkpoint may trail the worker's: 0.8 × heartbeatTimeout. */
  Duration heartbeatLag() {
    return heartbeatTimeout.multipliedBy(4).dividedBy(5);
  }

  /** Items a shard commits at most during {@link #heartbeatLag()}. */
  long lagItems() {
    return (shardItemsPerSecond * heartbeatLag().toMillis() + 999) / 1_000;
  }

  /** One batch plus the heartbeat lag, in items. */
  long items() {
    return batchSize + lagItems();
  }

  @Override
  public String toString() {
    return items()
        + " items (one batch of "
        + batchSize
        + " + "
        + heartbeatLag().toMillis()
        + " ms of heartbeat lag at "
        + shardItemsPerSecond
        + " items/s = "
        + lagItems()
        + ")";
  }
}
