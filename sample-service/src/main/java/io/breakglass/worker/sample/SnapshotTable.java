package io.breakglass.worker.sample;

import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * AI snapshots as rows of {@code ai_json_snapshots} (see {@link SnapshotsSchema}): the payload
 * column holds a JSON envelope v1 bound to the row id (associated data ROW_ID), so the id is taken
 * from the sequence before the row is encrypted. Thread-safe (one connection per call).
 */
final class SnapshotTable {

  /** A stored row: its id and envelope. */
  record Row(long id, Envelope envelope) {}

  private final DataSource database;
  private final JsonEnvelopeCodec codec = new JsonEnvelopeCodec();

  SnapshotTable(DataSource database) {
    this.database = database;
    try (Connection connection = database.getConnection();
        Statement ddl = connection.createStatement()) {
      ddl.execute(SnapshotsSchema.DDL);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create ai_json_snapshots: " + e.getMessage(), e);
    }
  }

  /** Encrypts {@code snapshot} under {@code keyId} into a new row; returns its id. */
  long insert(byte[] snapshot, String patientRef, String model, KeyId keyId, ServiceKeyring keyring)
      throws SQLException {
    try (Connection connection = database.getConnection()) {
      long id;
      try (Statement next = connection.createStatement();
          ResultSet result =
              next.executeQuery(
                  "SELECT nextval(pg_get_serial_sequence('ai_json_snapshots', 'id'))")) {
        result.next();
        id = result.getLong(1);
      }
      Envelope envelope =
          new EnvelopeCipher().encrypt(keyId, keyring.key(keyId), snapshot, binding(id));
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO ai_json_snapshots (id, patient_ref, model, payload) VALUES (?, ?, ?, ?::jsonb)")) {
        insert.setLong(1, id);
        insert.setString(2, patientRef);
        insert.setString(3, model);
        insert.setString(4, new String(codec.encode(envelope), StandardCharsets.UTF_8));
        insert.executeUpdate();
      }
      return id;
    }
  }

  /** The stored envelope of row {@code id}, or empty when there is no such row. */
  Optional<Row> read(long id) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT payload::text FROM ai_json_snapshots WHERE id = ?")) {
      query.setLong(1, id);
      try (ResultSet result = query.executeQuery()) {
        if (!result.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Row(id, codec.decode(result.getString(1).getBytes(StandardCharsets.UTF_8))));
      }
    }
  }

  /** Decrypts a stored row with whichever version of the keyring its envelope names. */
  byte[] decrypt(Row row, ServiceKeyring keyring) {
    return new EnvelopeCipher().decrypt(row.envelope(), keyring, binding(row.id()));
  }

  private static byte[] binding(long id) {
    return Long.toString(id).getBytes(StandardCharsets.UTF_8);
  }
}
