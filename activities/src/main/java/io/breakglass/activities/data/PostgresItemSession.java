package io.breakglass.activities.data;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.PGStatement;

/**
 * One shard's connection to a {@link PostgresColumnStore}. It keeps its page and write statements
 * for the whole shard, server-side prepared from their first execution (pgjdbc's default waits for
 * the fifth, and until then parses and plans each one again and reads {@code bytea} as hex text).
 * Autocommit is on: each conditional write is one transaction.
 */
final class PostgresItemSession implements ItemSession {

  private final PostgresColumnStore store;
  private final Connection connection;
  private final long before;
  private long after;
  private PreparedStatement page;
  private PreparedStatement write;

  PostgresItemSession(PostgresColumnStore store, Connection connection, long after, long before) {
    this.store = store;
    this.connection = connection;
    this.after = after;
    this.before = before;
  }

  @Override
  public long remaining() {
    try (PreparedStatement query = connection.prepareStatement(store.countSql)) {
      query.setLong(1, after);
      query.setLong(2, before);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    } catch (SQLException e) {
      throw store.failure("cannot count the items after id " + after, e);
    }
  }

  @Override
  public List<StoredItem> next(int max) {
    try {
      if (page == null) {
        page = prepared(store.pageSql);
      }
      page.setLong(1, after);
      page.setLong(2, before);
      page.setInt(3, max);
      List<StoredItem> items = store.items(page);
      if (!items.isEmpty()) {
        after = Long.parseLong(items.get(items.size() - 1).key());
      }
      return items;
    } catch (SQLException e) {
      throw store.failure("cannot read a page after id " + after, e);
    }
  }

  @Override
  public List<StoredItem> read(Collection<String> keys) {
    try (PreparedStatement query = connection.prepareStatement(store.readSql)) {
      Long[] ids = keys.stream().map(Long::valueOf).toArray(Long[]::new);
      query.setArray(1, connection.createArrayOf("bigint", ids));
      return store.items(query);
    } catch (SQLException e) {
      throw store.failure("cannot re-read " + keys.size() + " item(s)", e);
    }
  }

  @Override
  public Set<String> writeIfUnchanged(List<Rewrite> rewrites) {
    if (rewrites.isEmpty()) {
      return Set.of();
    }
    Long[] ids = new Long[rewrites.size()];
    String[] versions = new String[rewrites.size()];
    Object[] replacements = new Object[rewrites.size()];
    for (int i = 0; i < ids.length; i++) {
      Rewrite rewrite = rewrites.get(i);
      if (rewrite.expectedVersion() == null) {
        throw new IllegalArgumentException(
            "a conditional write to a table needs the row version that was read: " + rewrite);
      }
      ids[i] = Long.valueOf(rewrite.key());
      versions[i] = rewrite.expectedVersion();
      replacements[i] = store.arrayElement(rewrite.replacement());
    }
    try {
      if (write == null) {
        write = prepared(store.writeSql);
      }
      write.setArray(1, connection.createArrayOf("bigint", ids));
      write.setArray(2, connection.createArrayOf("text", versions));
      write.setArray(3, connection.createArrayOf(store.type().arrayType, typed(replacements)));
      Set<String> written = new HashSet<>();
      try (ResultSet rows = write.executeQuery()) {
        while (rows.next()) {
          written.add(Long.toString(rows.getLong(1)));
        }
      }
      return written;
    } catch (SQLException e) {
      throw store.failure("cannot write a batch of " + rewrites.size() + " item(s)", e);
    }
  }

  private PreparedStatement prepared(String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    statement.unwrap(PGStatement.class).setPrepareThreshold(1);
    return statement;
  }

  /** pgjdbc wants byte[][] for bytea arrays and String[] for text arrays. */
  private Object[] typed(Object[] values) {
    if (store.type() == ColumnType.BYTEA) {
      byte[][] bytes = new byte[values.length][];
      for (int i = 0; i < values.length; i++) {
        bytes[i] = (byte[]) values[i];
      }
      return bytes;
    }
    String[] text = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      text[i] = (String) values[i];
    }
    return text;
  }

  @Override
  public void close() {
    try {
      if (page != null) {
        page.close();
      }
      if (write != null) {
        write.close();
      }
      connection.close();
    } catch (SQLException e) {
      throw store.failure("cannot close a session", e);
    }
  }
}
