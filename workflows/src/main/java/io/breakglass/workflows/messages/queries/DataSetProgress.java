package io.breakglass.workflows.messages.queries;

import io.breakglass.workflows.messages.values.DataSetPlan;
import io.breakglass.workflows.messages.values.DataSetRun;
import java.time.Duration;

/**
 * Re-encryption progress of one data set.
 *
 * @param dataSet the data set
 * @param targetKeyId the key id items move to (the new one, or the old one while rolling back)
 * @param itemsPlanned items counted at plan time
 * @param itemsDone items scanned by finished shards
 * @param itemsReencrypted items rewritten by finished shards (an attempt whose result was lost is
 *     not counted: its retry finds those items under the target already)
 * @param itemsUnderTarget items finished shards left under the target, rewritten or found there:
 *     what a scan of the data set counts under the target key id
 * @param shardsDone finished shards
 * @param shardsTotal all shards
 * @param itemsPerSecond items scanned per second since the data set started
 * @param remaining the time left at that rate, or null before the first shard finishes
 */
public record DataSetProgress(
    String dataSet,
    String targetKeyId,
    long itemsPlanned,
    long itemsDone,
    long itemsReencrypted,
    long itemsUnderTarget,
    int shardsDone,
    int shardsTotal,
    long itemsPerSecond,
    Duration remaining) {

  /**
   * Where {@code run} stands, a re-encryption of {@code dataSet} to {@code targetVersionId} that
   * has lasted {@code elapsed}: the rate since it started, and the time left at that rate (none
   * left once {@code finished}).
   */
  public static DataSetProgress of(
      DataSetPlan dataSet,
      String targetVersionId,
      DataSetRun run,
      Duration elapsed,
      boolean finished) {
    long rate = run.scanned() / Math.max(1, elapsed.toSeconds());
    Duration remaining =
        finished
            ? Duration.ZERO
            : rate == 0
                ? null
                : Duration.ofSeconds(Math.max(0, dataSet.itemCount() - run.scanned()) / rate);
    return new DataSetProgress(
        dataSet.name(),
        dataSet.secret() + ":" + targetVersionId,
        dataSet.itemCount(),
        run.scanned(),
        run.reencrypted(),
        run.underTarget(),
        run.shardsDone(),
        dataSet.layout().shardCount(),
        rate,
        remaining);
  }
}
