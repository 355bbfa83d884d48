package io.breakglass.worker.dev;

import io.breakglass.activities.crypto.BinaryEnvelopeCodec;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.worker.sample.SnapshotsSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Random;
import javax.sql.DataSource;

/**
 * The synthetic data set {@code dev} and {@code demo} protect: {@code ai_json_snapshots} rows and
 * chart artifacts, encrypted as the healthcare application would (envelope v1 bound to the row id
 * or the artifact path). Every value is generated; there is no real PHI anywhere.
 */
public final class DemoData {

  private static final int INSERT_BATCH = 1_000;

  private final Keyring keyring;
  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private final Random random = new Random(20261128L);

  public DemoData(Keyring keyring) {
    this.keyring = keyring;
  }

  /**
   * Creates the table and inserts {@code rows} snapshots under {@code key} unless the table already
   * holds rows (a second {@code dev} run on the same data folder keeps its data).
   *
   * @return rows inserted (0 when the table was not empty)
   */
  public int seedSnapshots(DataSource database, int rows, KeyId key) {
    JsonEnvelopeCodec codec = new JsonEnvelopeCodec();
    try (Connection connection = database.getConnection()) {
      try (Statement ddl = connection.createStatement()) {
        ddl.execute(SnapshotsSchema.DDL);
        try (ResultSet existing = ddl.executeQuery("SELECT count(*) FROM ai_json_snapshots")) {
          existing.next();
          if (existing.getLong(1) > 0) {
            return 0;
          }
        }
      }
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO ai_json_snapshots (id, patient_ref, model, payload) VALUES (?, ?, ?, ?::jsonb)")) {
        for (int id = 1; id <= rows; id++) {
          String patientRef = pseudonym("patient", id % 4_000);
          byte[] plaintext = snapshot(id, patientRef).getBytes(StandardCharsets.UTF_8);
          byte[] associatedData = Long.toString(id).getBytes(StandardCharsets.UTF_8);
          byte[] envelope =
              codec.encode(cipher.encrypt(key, keyring.key(key), plaintext, associatedData));
          insert.setLong(1, id);
          insert.setString(2, patientRef);
          insert.setString(3, id % 3 == 0 ? "gpt-4o-mini" : "gpt-4.1");
          insert.setString(4, new String(envelope, StandardCharsets.UTF_8));
          insert.addBatch();
          if (id % INSERT_BATCH == 0) {
            insert.executeBatch();
          }
        }
        insert.executeBatch();
      }
      try (Statement sequence = connection.createStatement()) {
        sequence.execute(
            "SELECT setval(pg_get_serial_sequence('ai_json_snapshots', 'id'), (SELECT max(id) FROM ai_json_snapshots))");
      }
      connection.commit();
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seed ai_json_snapshots: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code count} chart artifacts of about {@code bytes} each under {@code key}, unless the
   * folder already holds artifacts.
   *
   * @return artifacts written (0 when the folder was not empty)
   */
  public int seedArtifacts(Path folder, int count, int bytes, KeyId key) {
    BinaryEnvelopeCodec codec = new BinaryEnvelopeCodec();
    try {
      Files.createDirectories(folder);
      try (var existing = Files.list(folder)) {
        if (existing.findAny().isPresent()) {
          return 0;
        }
      }
      for (int i = 1; i <= count; i++) {
        String relative =
            pseudonym("patient", i % 200) + "/chart-" + String.format("%05d", i) + ".pdf";
        byte[] plaintext = chart(i, bytes);
        byte[] associatedData = relative.getBytes(StandardCharsets.UTF_8);
        Path file = folder.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(
            file, codec.encode(cipher.encrypt(key, keyring.key(key), plaintext, associatedData)));
      }
      return count;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot seed artifacts in " + folder, e);
    }
  }

  private String snapshot(int id, String patientRef) {
    return "{\"snapshot_id\":"
        + id
        + ",\"patient_hash\":\""
        + patientRef
        + "\",\"encounter\":\"enc-"
        + (100_000 + random.nextInt(900_000))
        + "\",\"summary\":\"Synthetic AI chart summary "
        + id
        + ": vitals within range, follow-up in "
        + (1 + random.nextInt(12))
        + " weeks."
        + " This text is generated test data and describes no real person.\""
        + ",\"tokens\":"
        + (200 + random.nextInt(1800))
        + "}";
  }

  private byte[] chart(int i, int bytes) {
    byte[] body = new byte[bytes];
    random.nextBytes(body);
    byte[] header =
        ("%PDF-1.7 synthetic chart artifact " + i + "\n").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(header, 0, body, 0, Math.min(header.length, body.length));
    return body;
  }

  /** A stable keyed-looking pseudonym: no identifier of a real person goes into the demo. */
  private static String pseudonym(String kind, int n) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((kind + "-" + n).getBytes(StandardCharsets.UTF_8));
      return kind.charAt(0) + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
