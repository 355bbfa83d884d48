package io.breakglass.workflows.messages.values;

import java.time.Duration;

/**
 * A protected data set and how its re-encryption is split.
 *
 * @param name configured name, e.g. {@code ai-snapshots}
 * @param secret the secret whose key encrypts it
 * @param type where its items live
 * @param itemCount items counted at plan time (the application may add more while we run)
 * @param layout how it is cut into shards that together cover every key
 * @param concurrency how many shards of this data set may run at once
 * @param itemsPerSecond a ceiling on re-encryption speed for this data set; 0 for none
 * @param heartbeatTimeout how soon a shard on a dead worker is retried elsewhere
 */
public record DataSetPlan(
    String name,
    String secret,
    DataSetType type,
    long itemCount,
    ShardLayout layout,
    int concurrency,
    int itemsPerSecond,
    Duration heartbeatTimeout) {}
