package io.breakglass.worker.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.PGStatement;

/**
 * A batch in one statement: {@code UPDATE ... FROM unnest(ids, values)}, server-side prepared from
 * its first execution. One round trip and one plan per batch, whatever its size.
 */
final class UnnestWrite implements BatchWrite {

  private static final String WRITE =
      "UPDATE "
          + SnapshotRows.TABLE
          + " AS t SET payload = v.new::jsonb"
          + " FROM unnest(?::bigint[], ?::text[]) AS v(id, new) WHERE t.id = v.id";

  private final Connection connection;
  private final PreparedStatement write;

  UnnestWrite(Connection connection) throws SQLException {
    this.connection = connection;
    this.write = connection.prepareStatement(WRITE);
    write.unwrap(PGStatement.class).setPrepareThreshold(1);
  }

  @Override
  public long write(long[] ids, String[] values, int count) throws SQLException {
    Long[] boxed = new Long[count];
    for (int i = 0; i < count; i++) {
      boxed[i] = ids[i];
    }
    write.setArray(1, connection.createArrayOf("bigint", boxed));
    write.setArray(2, connection.createArrayOf("text", Arrays.copyOf(values, count)));
    return write.executeUpdate();
  }

  @Override
  public void close() throws SQLException {
    write.close();
  }
}
