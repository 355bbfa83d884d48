package io.breakglass.activities.data;

import io.breakglass.workflows.messages.values.ShardLayout;
import io.breakglass.workflows.messages.values.ShardRange;
import java.util.List;

/**
 * Where a data set's encrypted items live (a PostgreSQL column, a folder, a bucket), as the
 * re-encryption engine, the scanner, the planner and the smoke test see it. Thread-safe: shards of
 * one data set run in parallel on one store, each in its own {@link ItemSession}.
 */
public interface ItemStore {

  /** Items right now (a count for planning and progress, not a promise). */
  long count();

  /**
   * Cuts the data set into key ranges of about {@code shardSize} items that together cover every
   * key, including keys added later (the first and last ranges are open-ended). The layout stays
   * small enough for a workflow payload at any data set size.
   */
  ShardLayout split(int shardSize);

  /**
   * Opens a session over the items of {@code shard} whose key is after {@code afterKey} (null:
   * all).
   */
  ItemSession open(ShardRange shard, String afterKey);

  /** The {@code n} items with the highest keys (the newest rows), highest first. */
  List<StoredItem> newest(int n);

  /** The associated data that binds the item under {@code key} to where it lives, or null. */
  byte[] associatedData(String key);
}
