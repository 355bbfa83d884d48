package io.breakglass.workflows.messages.values;

/**
 * A slice of a data set that one activity re-encrypts: item keys from {@code fromKey} (inclusive)
 * to {@code toKey} (exclusive). Keys are row ids for tables and relative paths for artifact
 * folders; a null bound is open.
 *
 * @param index the shard's position in its data set, from 0
 * @param fromKey first key in the shard, or null for the start of the data set
 * @param toKey first key after the shard, or null for the end of the data set
 */
public record ShardRange(int index, String fromKey, String toKey) {}
