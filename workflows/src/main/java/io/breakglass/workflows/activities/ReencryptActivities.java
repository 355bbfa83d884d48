package io.breakglass.workflows.activities;

import io.breakglass.workflows.messages.values.ShardRange;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** REENCRYPT, and the reverse re-encryption that undoes it. */
@ActivityInterface
public interface ReencryptActivities {

  /**
   * Re-encrypts every item of one shard that is under a source key id so that it is under the
   * target version. Reads in key order, in batches; each batch is written with conditional writes
   * that compare what was read, so an application write made meanwhile is kept (and re-read).
   * Heartbeats its checkpoint (the last key of each committed batch, counts, rate and time left); a
   * retry on any worker resumes after it. Items already under the target are skipped, so running a
   * shard twice changes nothing the second time.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code UNDECRYPTABLE_ITEMS} (non-retryable) when
   *     an item does not decrypt; its id is in the message, never its content
   */
  ShardResult reencryptShard(ShardRequest request);

  /**
   * @param rotationId the rotation
   * @param dataSet the data set
   * @param shard the slice to work on
   * @param targetVersionId the version items move to
   * @param sourceVersionIds versions items move from; empty means every version but the target
   * @param itemsPerSecond this shard's ceiling on speed (its share of the data set's); 0 for none
   */
  record ShardRequest(
      String rotationId,
      String dataSet,
      ShardRange shard,
      String targetVersionId,
      List<String> sourceVersionIds,
      int itemsPerSecond) {}

  /**
   * @param dataSet the data set
   * @param shardIndex the shard
   * @param scanned items read
   * @param reencrypted items rewritten under the target
   * @param alreadyTarget items that were already under the target
   * @param otherKeys items under a key id that is neither target nor source (left alone)
   * @param conflicts conditional writes lost to a concurrent application write (then re-read)
   * @param batches batches committed
   * @param worker identity of the worker that ran the shard
   */
  record ShardResult(
      String dataSet,
      int shardIndex,
      long scanned,
      long reencrypted,
      long alreadyTarget,
      long otherKeys,
      long conflicts,
      int batches,
      String worker) {}
}
