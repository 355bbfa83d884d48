package io.breakglass.activities.reencrypt;

/**
 * How far a shard got: the heartbeat details of a shard activity. A retried attempt resumes after
 * {@code lastKey} and keeps counting from these totals.
 *
 * @param lastKey the last key of the last committed batch, or null before the first
 * @param scanned items read
 * @param reencrypted items rewritten under the target
 * @param alreadyTarget items found under the target already
 * @param otherKeys items under a key that is neither target nor source, left alone
 * @param conflicts conditional writes lost to a concurrent application write
 * @param batches batches committed
 */
public record ShardCheckpoint(
    String lastKey,
    long scanned,
    long reencrypted,
    long alreadyTarget,
    long otherKeys,
    long conflicts,
    int batches) {

  /** Nothing done yet. */
  public static ShardCheckpoint start() {
    return new ShardCheckpoint(null, 0, 0, 0, 0, 0, 0);
  }
}
