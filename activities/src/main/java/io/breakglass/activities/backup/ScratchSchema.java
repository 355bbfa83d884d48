package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.DataStoreException;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.ProtectedDataSet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway schema, {@code breakglass_verify_<random>}, where a table backup's sample is put back
 * with {@code COPY FROM}, read back and decrypted as the application would read it. The schema is
 * dropped whatever happens.
 */
final class ScratchSchema {

  private static final Logger LOG = LoggerFactory.getLogger(ScratchSchema.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ProtectedDataSet dataSet;
  private final DataSource database;
  private final Keyring keyring;
  private final BackupManifest.Table table;
  private final EnvelopeCipher cipher = new EnvelopeCipher();

  ScratchSchema(
      ProtectedDataSet dataSet, DataSource database, Keyring keyring, BackupManifest.Table table) {
    this.dataSet = dataSet;
    this.database = database;
    this.keyring = keyring;
    this.table = table;
  }

  /**
   * Restores {@code sample} into a scratch copy of the table and decrypts every restored envelope.
   *
   * @return how many sample rows restored and decrypted: all of them
   * @throws SampleNotVerifiedException naming the first row that did not
   */
  int restoreAndDecrypt(List<CopyRows.Row> sample) {
    byte[] name = new byte[8];
    RANDOM.nextBytes(name);
    String schema = "breakglass_verify_" + HexFormat.of().formatHex(name);
    String scratch = schema + "." + SqlName.quotedLast(table.name());
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      statement.execute("CREATE SCHEMA " + schema);
      try {
        statement.execute(
            "CREATE TABLE " + scratch + " (LIKE " + SqlName.quoted(table.name()) + ")");
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        String columns =
            table.columns().stream().map(SqlName::quotedPart).collect(Collectors.joining(", "));
        for (CopyRows.Row row : sample) {
          restore(copy, "COPY " + scratch + " (" + columns + ") FROM STDIN", row);
        }
        Map<String, byte[]> restored = readBack(statement, scratch);
        for (CopyRows.Row row : sample) {
          decrypt(row, restored.get(row.id()));
        }
        return sample.size();
      } finally {
        drop(statement, schema);
      }
    } catch (SQLException e) {
      throw new DataStoreException(
          "data set "
              + dataSet.name()
              + ": cannot verify the backup in a scratch schema ("
              + e.getSQLState()
              + ")",
          e);
    }
  }

  private void restore(CopyManager copy, String sql, CopyRows.Row row) throws SQLException {
    byte[] line = Arrays.copyOf(row.line(), row.line().length + 1);
    line[line.length - 1] = '\n';
    try {
      copy.copyIn(sql, new ByteArrayInputStream(line));
    } catch (SQLException e) {
      // Classes 22 (data exception) and 23 (constraint violation): this row does not restore.
      // The server's message quotes the row, so only its SQLSTATE is reported.
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.startsWith("22") || state.startsWith("23")) {
        throw new SampleNotVerifiedException(
            dataSet.name(), row.id(), "does not restore (" + state + ")");
      }
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array cannot fail", e);
    }
  }

  private Map<String, byte[]> readBack(Statement statement, String scratch) throws SQLException {
    Map<String, byte[]> restored = new HashMap<>();
    try (ResultSet rows =
        statement.executeQuery(
            "SELECT "
                + SqlName.quotedPart(table.idColumn())
                + ", "
                + SqlName.quotedPart(table.envelopeColumn())
                + " FROM "
                + scratch)) {
      boolean bytea = "bytea".equals(rows.getMetaData().getColumnTypeName(2));
      while (rows.next()) {
        byte[] value = bytea ? rows.getBytes(2) : bytes(rows.getString(2));
        restored.put(Long.toString(rows.getLong(1)), value);
      }
    }
    return restored;
  }

  private void decrypt(CopyRows.Row row, byte[] restored) {
    if (restored == null) {
      throw new SampleNotVerifiedException(
          dataSet.name(), row.id(), "is missing after the restore");
    }
    if (!Arrays.equals(restored, row.envelope())) {
      throw new SampleNotVerifiedException(dataSet.name(), row.id(), "changed in the restore");
    }
    ItemStore store = dataSet.store();
    try {
      cipher.decrypt(dataSet.codec().decode(restored), keyring, store.associatedData(row.id()));
    } catch (EnvelopeException e) {
      throw new SampleNotVerifiedException(
          dataSet.name(), row.id(), "does not decrypt (" + e.reason() + ")");
    }
  }

  private static byte[] bytes(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private void drop(Statement statement, String schema) {
    try {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      LOG.warn(
          "data set {}: scratch schema {} was not dropped ({}); drop it by hand",
          dataSet.name(),
          schema,
          e.getSQLState());
    }
  }
}
