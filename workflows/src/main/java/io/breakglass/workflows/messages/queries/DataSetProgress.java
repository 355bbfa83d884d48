package io.breakglass.workflows.messages.queries;

import java.time.Duration;

/**
 * Re-encryption progress of one data set.
 *
 * @param dataSet the data set
 * @param targetKeyId the key id items move to (the new one, or the old one while rolling back)
 * @param itemsPlanned items counted at plan time
 * @param itemsDone items scanned by finished shards
 * @param itemsReencrypted items rewritten by finished shards
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
    int shardsDone,
    int shardsTotal,
    long itemsPerSecond,
    Duration remaining) {}
