package io.breakglass.activities.backup;

import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.StoredItem;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * A PostgreSQL data set's backup: the whole table as {@code COPY (SELECT * FROM <table> ORDER BY
 * <id>) TO STDOUT} text output, streamed row by row from the server into the backup. Every column
 * is kept, so a restored row is the row as it was.
 */
final class TableSnapshot implements SnapshotFormat {

  /** Rows between two progress reports. */
  static final int PROGRESS_ROWS = 1_000;

  private final ProtectedDataSet dataSet;
  private final DataSource database;
  private final Keyring keyring;

  TableSnapshot(ProtectedDataSet dataSet, DataSource database, Keyring keyring) {
    this.dataSet = dataSet;
    this.database = database;
    this.keyring = keyring;
  }

  @Override
  public Written write(OutputStream plaintext, LongConsumer progress) throws IOException {
    DataSetConfig config = dataSet.config();
    String table = SqlName.quoted(config.table());
    try (Connection connection = database.getConnection()) {
      int isolation = connection.getTransactionIsolation();
      // One snapshot for the column list and the rows: both describe the same table.
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL bytea_output = 'hex'");
        List<String> columns = new ArrayList<>();
        String envelopeType = null;
        try (ResultSet none = statement.executeQuery("SELECT * FROM " + table + " LIMIT 0")) {
          ResultSetMetaData meta = none.getMetaData();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnName(i));
            if (meta.getColumnName(i).equals(config.column())) {
              envelopeType = meta.getColumnTypeName(i);
            }
          }
        }
        long rows =
            connection
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyOut(
                    "COPY (SELECT * FROM "
                        + table
                        + " ORDER BY "
                        + SqlName.quotedPart(config.idColumn())
                        + ") TO STDOUT",
                    new RowCounter(plaintext, progress));
        connection.commit();
        progress.accept(rows);
        return new Written(
            rows,
            new BackupManifest.Table(
                config.table(), config.idColumn(), config.column(), envelopeType, columns));
      } finally {
        // A pooled connection goes back as it came (the rollback is a no-op after the commit).
        connection.rollback();
        connection.setAutoCommit(true);
        connection.setTransactionIsolation(isolation);
      }
    } catch (SQLException e) {
      throw new DataStoreException(
          "data set "
              + dataSet.name()
              + ": cannot copy table "
              + config.table()
              + " out ("
              + e.getSQLState()
              + ")",
          e);
    }
  }

  @Override
  public Verified verify(
      InputStream plaintext, BackupManifest manifest, int sampleSize, LongConsumer progress)
      throws IOException {
    CopyRows rows = new CopyRows(plaintext, manifest);
    Reservoir<CopyRows.Row> sample = new Reservoir<>(sampleSize);
    long count = 0;
    CopyRows.Row row;
    while ((row = rows.next()) != null) {
      count++;
      if (row.envelope() != null) {
        sample.offer(row);
      }
      if (count % PROGRESS_ROWS == 0) {
        progress.accept(count);
      }
    }
    progress.accept(count);
    int verified =
        new ScratchSchema(dataSet, database, keyring, manifest.table())
            .restoreAndDecrypt(sample.sample());
    return new Verified(count, verified);
  }

  @Override
  public BackupItems items(InputStream plaintext, BackupManifest manifest) {
    CopyRows rows = new CopyRows(plaintext, manifest);
    return () -> {
      CopyRows.Row row;
      while ((row = rows.next()) != null) {
        if (row.envelope() != null) {
          return new BackupEntry.Whole(new StoredItem(row.id(), row.envelope()));
        }
      }
      return null;
    };
  }

  /** Passes COPY output through and counts its rows: every row ends in the only raw newline. */
  private static final class RowCounter extends FilterOutputStream {

    private final LongConsumer progress;
    private long rows;

    RowCounter(OutputStream out, LongConsumer progress) {
      super(out);
      this.progress = progress;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      counted((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      for (int i = offset; i < offset + length; i++) {
        counted(bytes[i]);
      }
    }

    private void counted(byte b) {
      if (b == '\n' && ++rows % PROGRESS_ROWS == 0) {
        progress.accept(rows);
      }
    }

    @Override
    public void close() {
      // the backup stream is closed by its owner
    }
  }
}
