package io.breakglass.activities.data;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.workflows.messages.values.ShardLayout;
import io.breakglass.workflows.messages.values.ShardRange;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A column of a PostgreSQL table that holds envelopes, keyed by a bigint id. Reads are keyset
 * paginated on the id and return each row's version ({@code xmin}); writes are one {@code UPDATE
 * ... FROM unnest(...)} per batch (one transaction) that writes a row only if its version is still
 * the one read. Every write of a row, by anyone and to any column, gives it a new {@code xmin}, so
 * a concurrent application write is never overwritten. Comparing the version instead of the value
 * spares the database a second copy of every value, its parse and the read of the stored one. A
 * deferred write commits without waiting for its WAL flush (docs/decisions/0051).
 */
public final class PostgresColumnStore implements ItemStore {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String dataSet;
  private final DataSource dataSource;
  private final ColumnType type;
  private final AssociatedDataMode associatedData;
  private final String associatedDataConstant;
  final String pageSql;
  final String countSql;
  final String readSql;
  final String writeSql;
  private final String boundsSql;
  private final String newestSql;

  private PostgresColumnStore(
      DataSetConfig config,
      DataSource dataSource,
      ColumnType type,
      String table,
      String id,
      String column) {
    this.dataSet = config.name();
    this.dataSource = dataSource;
    this.type = type;
    this.associatedData = config.associatedData();
    this.associatedDataConstant = config.profile().associatedDataConstant();
    String read = column + type.readCast + ", xmin::text";
    String present = column + " IS NOT NULL";
    this.pageSql =
        "SELECT "
            + id
            + ", "
            + read
            + " FROM "
            + table
            + " WHERE "
            + id
            + " > ? AND "
            + id
            + " < ? AND "
            + present
            + " ORDER BY "
            + id
            + " LIMIT ?";
    this.countSql =
        "SELECT count(*) FROM " + table + " WHERE " + id + " > ? AND " + id + " < ? AND " + present;
    this.readSql =
        "SELECT "
            + id
            + ", "
            + read
            + " FROM "
            + table
            + " WHERE "
            + id
            + " = ANY(?) AND "
            + present;
    this.writeSql =
        "UPDATE "
            + table
            + " AS t SET "
            + column
            + " = "
            + type.newValue
            + " FROM unnest(?::bigint[], ?::text[], ?::"
            + type.arrayType
            + "[]) AS v(id, version, new) WHERE t."
            + id
            + " = v.id AND t.xmin = v.version::xid"
            + " RETURNING t."
            + id;
    this.boundsSql =
        "SELECT min(" + id + "), max(" + id + "), count(*) FROM " + table + " WHERE " + present;
    this.newestSql =
        "SELECT "
            + id
            + ", "
            + read
            + " FROM "
            + table
            + " WHERE "
            + present
            + " ORDER BY "
            + id
            + " DESC LIMIT ?";
  }

  /**
   * A store for {@code config}'s column, after checking that the table and column exist and the
   * column's type can hold the configured envelope format.
   *
   * @throws IllegalArgumentException naming the data set and what is wrong
   */
  public static PostgresColumnStore create(DataSetConfig config, DataSource dataSource) {
    String where =
        "data set " + config.name() + " (" + config.table() + "." + config.column() + ")";
    if (config.associatedData() == AssociatedDataMode.OBJECT_PATH) {
      throw new IllegalArgumentException(where + ": associatedData OBJECT_PATH is for files");
    }
    String[] tableParts = identifierParts(config.table(), where);
    identifierParts(config.column(), where);
    identifierParts(config.idColumn(), where);
    String schema = tableParts.length == 2 ? tableParts[0] : "public";
    String tableName = tableParts[tableParts.length - 1];
    ColumnType type;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT column_name, data_type FROM information_schema.columns"
                    + " WHERE table_schema = ? AND table_name = ? AND column_name IN (?, ?)")) {
      query.setString(1, schema);
      query.setString(2, tableName);
      query.setString(3, config.column());
      query.setString(4, config.idColumn());
      String columnType = null;
      String idType = null;
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          if (rows.getString(1).equals(config.column())) {
            columnType = rows.getString(2);
          }
          if (rows.getString(1).equals(config.idColumn())) {
            idType = rows.getString(2);
          }
        }
      }
      if (columnType == null || idType == null) {
        throw new IllegalArgumentException(where + ": table or column not found");
      }
      if (!idType.equals("bigint") && !idType.equals("integer")) {
        throw new IllegalArgumentException(
            where + ": id column " + config.idColumn() + " is " + idType + ", not bigint");
      }
      type = ColumnType.of(columnType, where);
      requireTable(connection, schema, tableName, where);
    } catch (SQLException e) {
      throw new DataStoreException(where + ": cannot read the table definition", e);
    }
    if (!type.holds(config.format())) {
      throw new IllegalArgumentException(
          where + ": a " + type.sqlName + " column cannot hold " + config.format() + " envelopes");
    }
    return new PostgresColumnStore(
        config,
        dataSource,
        type,
        quote(tableParts),
        quote(config.idColumn()),
        quote(config.column()));
  }

  @Override
  public long count() {
    return bounds().count;
  }

  /** Equal id ranges between the lowest and highest id: three numbers, at any table size. */
  @Override
  public ShardLayout split(int shardSize) {
    Bounds bounds = bounds();
    long shards = Math.max(1, (bounds.count + shardSize - 1) / shardSize);
    long width = Math.max(1, (bounds.max - bounds.min + shards) / shards);
    return ShardLayout.keyRanges(Math.toIntExact(shards), bounds.min, width);
  }

  @Override
  public ItemSession open(ShardRange shard, String afterKey) {
    long after = shard.fromKey() == null ? Long.MIN_VALUE : Long.parseLong(shard.fromKey()) - 1;
    if (afterKey != null) {
      after = Math.max(after, Long.parseLong(afterKey));
    }
    long before = shard.toKey() == null ? Long.MAX_VALUE : Long.parseLong(shard.toKey());
    try {
      return new PostgresItemSession(this, dataSource.getConnection(), after, before);
    } catch (SQLException e) {
      throw failure("cannot connect", e);
    }
  }

  @Override
  public List<StoredItem> newest(int n) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(newestSql)) {
      query.setInt(1, n);
      return items(query);
    } catch (SQLException e) {
      throw failure("cannot read the newest items", e);
    }
  }

  @Override
  public byte[] associatedData(String key) {
    return switch (associatedData) {
      case ROW_ID -> key.getBytes(StandardCharsets.UTF_8);
      case CONSTANT -> associatedDataConstant.getBytes(StandardCharsets.UTF_8);
      case OBJECT_PATH, NONE -> null;
    };
  }

  /** Runs {@code query} and maps its (id, value, version) rows. */
  List<StoredItem> items(PreparedStatement query) throws SQLException {
    List<StoredItem> items = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        byte[] value =
            type == ColumnType.BYTEA
                ? rows.getBytes(2)
                : rows.getString(2).getBytes(StandardCharsets.UTF_8);
        items.add(new StoredItem(Long.toString(rows.getLong(1)), value, rows.getString(3)));
      }
    }
    return items;
  }

  /** The SQL array element for a stored value of this column. */
  Object arrayElement(byte[] value) {
    return type == ColumnType.BYTEA ? value : new String(value, StandardCharsets.UTF_8);
  }

  ColumnType type() {
    return type;
  }

  DataStoreException failure(String what, SQLException cause) {
    return new DataStoreException(
        "data set " + dataSet + ": " + what + " (" + cause.getSQLState() + ")", cause);
  }

  private Bounds bounds() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(boundsSql);
        ResultSet row = query.executeQuery()) {
      row.next();
      return new Bounds(row.getLong(1), row.getLong(2), row.getLong(3));
    } catch (SQLException e) {
      throw failure("cannot count items", e);
    }
  }

  private record Bounds(long min, long max, long count) {}

  /** Conditional writes compare row versions, which tables have and views do not. */
  private static void requireTable(Connection connection, String schema, String table, String where)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?")) {
      query.setString(1, schema);
      query.setString(2, table);
      try (ResultSet row = query.executeQuery()) {
        String kind = row.next() ? row.getString(1) : "?";
        if (!kind.equals("r") && !kind.equals("p")) {
          throw new IllegalArgumentException(
              where
                  + ": not a table (relkind "
                  + kind
                  + "); re-encryption writes compare row"
                  + " versions, which only tables have");
        }
      }
    }
  }

  private static String[] identifierParts(String name, String where) {
    String[] parts = name == null ? new String[0] : name.split("\\.", -1);
    if (parts.length < 1 || parts.length > 2) {
      throw new IllegalArgumentException(where + ": not a table or column name: " + name);
    }
    for (String part : parts) {
      if (!IDENTIFIER.matcher(part).matches()) {
        throw new IllegalArgumentException(where + ": not a plain SQL identifier: " + name);
      }
    }
    return parts;
  }

  private static String quote(String... parts) {
    List<String> quoted = new ArrayList<>();
    for (String part : parts) {
      quoted.add('"' + part + '"');
    }
    return String.join(".", quoted);
  }
}
