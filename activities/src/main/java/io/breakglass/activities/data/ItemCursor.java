package io.breakglass.activities.data;

import java.util.List;

/** Reads a shard's items in key order, a page at a time. Not thread-safe; close it. */
public interface ItemCursor extends AutoCloseable {

  /** Up to {@code max} next items in key order; empty once the shard is exhausted. */
  List<StoredItem> next(int max);

  @Override
  void close();
}
