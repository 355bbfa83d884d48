package io.breakglass.workflows.messages.values;

import java.util.List;

/**
 * A protected data set and how its re-encryption is split.
 *
 * @param name configured name, e.g. {@code ai-snapshots}
 * @param secret the secret whose key encrypts it
 * @param type where its items live
 * @param itemCount items counted at plan time (the application may add more while we run)
 * @param shards the slices, in key order, that together cover every key
 * @param concurrency how many shards of this data set may run at once
 */
public record DataSetPlan(
    String name,
    String secret,
    DataSetType type,
    long itemCount,
    List<ShardRange> shards,
    int concurrency) {}
