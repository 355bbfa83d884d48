package io.breakglass.worker.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.postgresql.PGStatement;

/**
 * A batch as JDBC batching: one single-row {@code UPDATE} per row, added with {@code addBatch} and
 * sent together by {@code executeBatch}, server-side prepared from its first execution. The driver
 * pipelines the rows but the server still plans and executes one statement per row. ({@code
 * reWriteBatchedInserts} rewrites inserts only; it does nothing for updates.)
 */
final class JdbcBatchWrite implements BatchWrite {

  private static final String WRITE =
      "UPDATE " + SnapshotRows.TABLE + " SET payload = ?::jsonb WHERE id = ?";

  private final PreparedStatement update;

  JdbcBatchWrite(Connection connection) throws SQLException {
    this.update = connection.prepareStatement(WRITE);
    update.unwrap(PGStatement.class).setPrepareThreshold(1);
  }

  @Override
  public long write(long[] ids, String[] values, int count) throws SQLException {
    for (int i = 0; i < count; i++) {
      update.setString(1, values[i]);
      update.setLong(2, ids[i]);
      update.addBatch();
    }
    long updated = 0;
    for (int rows : update.executeBatch()) {
      if (rows < 0) {
        throw new SQLException("the driver did not say how many rows an UPDATE changed: " + rows);
      }
      updated += rows;
    }
    return updated;
  }

  @Override
  public void close() throws SQLException {
    update.close();
  }
}
