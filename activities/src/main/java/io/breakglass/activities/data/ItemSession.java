package io.breakglass.activities.data;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Work on one shard of a data set: reads its items in key order a page at a time, re-reads items
 * that changed, and writes conditionally. Holds one database connection (or none for files), so it
 * is not thread-safe; close it.
 */
public interface ItemSession extends AutoCloseable {

  /** Items not read yet (an estimate: the application may add or delete items meanwhile). */
  long remaining();

  /** Up to {@code max} next items in key order; empty once the shard is exhausted. */
  List<StoredItem> next(int max);

  /**
   * The items passed over by the last {@link #next} call because they are too large to read whole,
   * in key order; a shard is exhausted only when both are empty. Only a {@link LargeItemSession}
   * has any.
   */
  default List<LargeItem> largeItems() {
    return List.of();
  }

  /** The current values of these keys; keys that no longer exist are missing from the result. */
  List<StoredItem> read(Collection<String> keys);

  /**
   * Applies each rewrite only where the item is still what was read, in one transaction per call
   * where the store allows it. A store with versions compares {@link Rewrite#expectedVersion()}
   * (every write of the item changes it), one without compares {@link Rewrite#expected()} in full.
   *
   * @return the keys that were written; the others changed since they were read
   */
  Set<String> writeIfUnchanged(List<Rewrite> rewrites);

  /**
   * {@link #writeIfUnchanged}, except that the store may acknowledge the writes before they would
   * survive a crash of the store itself (not of this process). They are durable once a later {@link
   * #writeIfUnchanged} or {@link #awaitDurable} of this session returns. Stores whose writes are
   * durable once acknowledged just write.
   */
  default Set<String> writeIfUnchangedDeferred(List<Rewrite> rewrites) {
    return writeIfUnchanged(rewrites);
  }

  /** Whether every write this session acknowledged would survive a crash of the store. */
  default boolean durable() {
    return true;
  }

  /** Returns once every write this session acknowledged would survive a crash of the store. */
  default void awaitDurable() {}

  /**
   * Whether the last {@link #next} call reached the end of the shard as it stood then (a later call
   * still returns items added since); false where the store cannot tell.
   */
  default boolean exhausted() {
    return false;
  }

  @Override
  void close();
}
