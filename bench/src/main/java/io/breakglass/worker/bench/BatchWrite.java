package io.breakglass.worker.bench;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a hand-written row loop writes one batch of re-encrypted rows on its connection, inside the
 * loop's transaction (the loop commits). Unconditional: no loop guards against a concurrent
 * application write, which the engine must (so the engine does strictly more work per row).
 */
interface BatchWrite extends AutoCloseable {

  /** Opens the write's statements on {@code connection}. */
  @FunctionalInterface
  interface Opener {
    BatchWrite open(Connection connection) throws SQLException;
  }

  /**
   * Sets {@code payload} of row {@code ids[i]} to {@code values[i]} for each {@code i < count};
   * returns the rows updated.
   */
  long write(long[] ids, String[] values, int count) throws SQLException;

  @Override
  void close() throws SQLException;
}
