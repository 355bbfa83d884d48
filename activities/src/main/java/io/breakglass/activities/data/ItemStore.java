package io.breakglass.activities.data;

import io.breakglass.workflows.messages.values.ShardRange;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Where a data set's encrypted items live (a PostgreSQL column, a folder, a bucket), as the
 * re-encryption engine, the scanner and the planner see it. Thread-safe: shards of one data set
 * run in parallel on one store.
 */
public interface ItemStore {

  /** Items right now (a count for planning and progress, not a promise). */
  long count();

  /**
   * Splits the data set into key ranges of about {@code shardSize} items that together cover every
   * key, including keys added later (the last range is open-ended).
   */
  List<ShardRange> split(int shardSize);

  /** Opens a cursor over the items of {@code shard} whose key is after {@code afterKey} (null: all). */
  ItemCursor open(ShardRange shard, String afterKey);

  /** The current values of these keys; keys that no longer exist are missing from the result. */
  List<StoredItem> read(Collection<String> keys);

  /**
   * Applies each rewrite only where the item still holds {@code expected}, atomically per call
   * where the store allows it (one transaction per batch for PostgreSQL).
   *
   * @return the keys that were written; the others changed since they were read
   */
  Set<String> writeIfUnchanged(List<Rewrite> rewrites);

  /** The associated data that binds the item under {@code key} to where it lives. */
  byte[] associatedData(String key);
}
