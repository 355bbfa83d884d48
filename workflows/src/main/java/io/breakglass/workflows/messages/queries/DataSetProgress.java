package io.breakglass.workflows.messages.queries;

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
 */
public record DataSetProgress(
    String dataSet,
    String targetKeyId,
    long itemsPlanned,
    long itemsDone,
    long itemsReencrypted,
    int shardsDone,
    int shardsTotal) {}
