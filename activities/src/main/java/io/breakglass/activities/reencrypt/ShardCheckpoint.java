package io.breakglass.activities.reencrypt;

import java.time.Duration;

/**
 * How far a shard got: the heartbeat details of a shard activity, so also what an operator sees of
 * a running shard. A retried attempt resumes after {@code lastKey} and keeps counting from these
 * totals.
 *
 * @param lastKey the last key of the last committed batch, or null before the first
 * @param scanned items read
 * @param reencrypted items rewritten under the target
 * @param alreadyTarget items found under the target already
 * @param otherKeys items under a key that is neither target nor source, left alone
 * @param conflicts conditional writes lost to a concurrent application write
 * @param batches batches committed
 * @param total items in the shard (counted when this attempt started)
 * @param itemsPerSecond this attempt's speed
 * @param remaining the time this attempt still needs at that speed, or null before it is known
 */
public record ShardCheckpoint(
    String lastKey,
    long scanned,
    long reencrypted,
    long alreadyTarget,
    long otherKeys,
    long conflicts,
    int batches,
    long total,
    long itemsPerSecond,
    Duration remaining) {

  /** Nothing done yet. */
  public static ShardCheckpoint start() {
    return new ShardCheckpoint(null, 0, 0, 0, 0, 0, 0, 0, 0, null);
  }
}
