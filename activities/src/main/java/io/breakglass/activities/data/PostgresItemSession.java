package io.breakglass.activities.data;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.PGStatement;

/**
 * One shard's connection to a {@link PostgresColumnStore}. It keeps its page and write statements
 * for the whole shard, server-side prepared from their first execution (pgjdbc's default waits for
 * the fifth, and until then parses and plans each one again and reads {@code bytea} as hex text).
 * Reads run in autocommit. Each conditional write is one transaction; a deferred one sets {@code
 * synchronous_commit} off for itself only ({@code SET LOCAL}), so its commit returns before its WAL
 * reaches the disk. A durable write commits synchronously (at the server's setting, or {@code
 * local} where the server's is {@code off}), and PostgreSQL's WAL is one sequence: flushing it up
 * to that commit flushes every earlier deferred commit of this session too.
 */
final class PostgresItemSession implements ItemSession {

  private final PostgresColumnStore store;
  private final Connection connection;
  private final long before;
  private long after;
  private boolean exhausted;
  private boolean undurable;
  private String durableCommit;
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

  /** Reads one row more than asked, to tell whether the page is the shard's last. */
  @Override
  public List<StoredItem> next(int max) {
    try {
      if (page == null) {
        page = prepared(store.pageSql);
      }
      page.setLong(1, after);
      page.setLong(2, before);
      page.setInt(3, max + 1);
      List<StoredItem> items = store.items(page);
      exhausted = items.size() <= max;
      if (!exhausted) {
        items = items.subList(0, max);
      }
      if (!items.isEmpty()) {
        after = Long.parseLong(items.get(items.size() - 1).key());
      }
      return items;
    } catch (SQLException e) {
      throw store.failure("cannot read a page after id " + after, e);
    }
  }

  @Override
  public boolean durable() {
    return !undurable;
  }

  @Override
  public boolean exhausted() {
    return exhausted;
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
    return write(rewrites, true);
  }

  @Override
  public Set<String> writeIfUnchangedDeferred(List<Rewrite> rewrites) {
    return write(rewrites, false);
  }

  /**
   * Waits until the server has flushed its WAL past everything this session committed: the WAL
   * writer flushes deferred commits within a few hundred milliseconds. Asked on this session's own
   * connection, which a crash of the server would have broken.
   */
  @Override
  public void awaitDurable() {
    if (!undurable) {
      return;
    }
    try (Statement query = connection.createStatement();
        PreparedStatement flushed =
            connection.prepareStatement("SELECT pg_current_wal_flush_lsn() >= ?::pg_lsn")) {
      flushed.setString(1, single(query, "SELECT pg_current_wal_insert_lsn()"));
      while (!flushedPast(flushed)) {
        Thread.sleep(5);
      }
      undurable = false;
    } catch (SQLException e) {
      throw store.failure("cannot wait for the WAL flush", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the WAL flush", e);
    }
  }

  private Set<String> write(List<Rewrite> rewrites, boolean durable) {
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
      connection.setAutoCommit(false);
      try {
        String commit = durable ? durableCommit() : "off";
        if (commit != null) {
          try (Statement set = connection.createStatement()) {
            set.execute("SET LOCAL synchronous_commit TO " + commit);
          }
        }
        try (ResultSet rows = write.executeQuery()) {
          while (rows.next()) {
            written.add(Long.toString(rows.getLong(1)));
          }
        }
        connection.commit();
      } catch (SQLException e) {
        rollback(e);
        throw e;
      }
      connection.setAutoCommit(true);
      // A transaction that changed no row commits nothing, and makes nothing durable either.
      if (!written.isEmpty()) {
        undurable = !durable;
      }
      return written;
    } catch (SQLException e) {
      throw store.failure("cannot write a batch of " + rewrites.size() + " item(s)", e);
    }
  }

  /**
   * The {@code synchronous_commit} of a durable write: the server's own (null: nothing to set),
   * unless that is {@code off}.
   */
  private String durableCommit() throws SQLException {
    if (durableCommit == null) {
      try (Statement query = connection.createStatement()) {
        durableCommit = single(query, "SHOW synchronous_commit").equals("off") ? "local" : "";
      }
    }
    return durableCommit.isEmpty() ? null : durableCommit;
  }

  private void rollback(SQLException failure) {
    try {
      connection.rollback();
    } catch (SQLException again) {
      failure.addSuppressed(again);
    }
  }

  private static boolean flushedPast(PreparedStatement flushed) throws SQLException {
    try (ResultSet row = flushed.executeQuery()) {
      row.next();
      return row.getBoolean(1);
    }
  }

  private static String single(Statement query, String sql) throws SQLException {
    try (ResultSet row = query.executeQuery(sql)) {
      row.next();
      return row.getString(1);
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
      // A write that failed leaves its transaction rolled back but autocommit off: a pooled
      // connection goes back as it came.
      if (!connection.isClosed() && !connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      connection.close();
    } catch (SQLException e) {
      throw store.failure("cannot close a session", e);
    }
  }
}
