package io.breakglass.worker.crash;

import java.util.List;

/**
 * The moments a shard passes through that a test may act on: to stop a worker there, or to write as
 * the application would right inside a batch. Counts start at 1 and are per watched data source
 * (conditional writes) or per worker (shards). Every method does nothing unless overridden.
 */
interface BatchEvents {

  /** Events on which nothing happens. */
  BatchEvents NONE = new BatchEvents() {};

  /**
   * The {@code n}-th conditional write is about to run: its batch was read and re-encrypted,
   * nothing of it is written yet.
   *
   * @param rows the row ids the write will rewrite if they are unchanged
   */
  default void beforeConditionalWrite(int n, List<Long> rows) {}

  /**
   * The connection that ran the {@code n}-th conditional write is about to run its next statement.
   * When that write lost no row to the application, the batch has committed, the shard has
   * heartbeated its checkpoint and paced itself, and the next batch is not read yet; otherwise the
   * shard is about to re-read the rows it lost.
   */
  default void betweenBatches(int n) {}

  /**
   * The {@code n}-th shard activity returned its result; the worker has not reported it to
   * Temporal.
   */
  default void afterShard(int n) {}
}
