package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.worker.sample.SnapshotsSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The bench's {@code ai_json_snapshots}: the demo application's table, seeded with {@code COPY}
 * (minutes faster than INSERTs at two million rows) with synthetic snapshots encrypted under a real
 * key and bound to their row id, then vacuumed and checkpointed so the first timed run does not pay
 * for the load.
 */
final class SnapshotRows {

  static final String TABLE = "ai_json_snapshots";

  /** Rows per COPY buffer. */
  private static final int CHUNK = 1_000;

  /** See {@link #checkpointOnlyWhenSettled}. */
  static final String WAL_BETWEEN_CHECKPOINTS = "8GB";

  private SnapshotRows() {}

  /**
   * Creates the (empty) table. Autovacuum is off for it: the bench vacuums between runs itself, and
   * a vacuum that starts at a random point of one run would make that run alone slower.
   */
  static void createTable(DataSource database) {
    try (Connection connection = database.getConnection();
        Statement ddl = connection.createStatement()) {
      ddl.execute(SnapshotsSchema.DDL);
      ddl.execute(
          "ALTER TABLE "
              + TABLE
              + " SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create " + TABLE + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads rows {@code 1..rows} under {@code key} into the empty table, each with a stored envelope
   * of about {@code rowBytes} bytes.
   */
  static void seed(DataSource database, int rows, int rowBytes, KeyId key, Keyring keyring) {
    JsonEnvelopeCodec codec = new JsonEnvelopeCodec();
    EnvelopeCipher cipher = new EnvelopeCipher();
    SecretKey secretKey = keyring.key(key);
    int plaintextBytes = plaintextFor(rowBytes, key, codec);
    try (Connection connection = database.getConnection()) {
      CopyIn copy =
          connection
              .unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn("COPY " + TABLE + " (id, patient_ref, model, payload) FROM STDIN");
      try {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK * (rowBytes * 2 + 256));
        for (int id = 1; id <= rows; id++) {
          String patientRef = patientRef(id);
          byte[] plaintext = snapshot(id, patientRef, plaintextBytes);
          byte[] associatedData = Long.toString(id).getBytes(StandardCharsets.UTF_8);
          byte[] envelope = codec.encode(cipher.encrypt(key, secretKey, plaintext, associatedData));
          chunk.writeBytes(
              (id + "\t" + patientRef + "\t" + (id % 3 == 0 ? "gpt-4o-mini" : "gpt-4.1") + "\t")
                  .getBytes(StandardCharsets.UTF_8));
          writeCopyText(chunk, envelope);
          chunk.write('\n');
          if (id % CHUNK == 0 || id == rows) {
            copy.writeToCopy(chunk.toByteArray(), 0, chunk.size());
            chunk.reset();
          }
        }
        copy.endCopy();
      } finally {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      }
      try (Statement after = connection.createStatement()) {
        after.execute("SELECT setval(pg_get_serial_sequence('" + TABLE + "', 'id'), " + rows + ")");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seed " + TABLE + ": " + e.getMessage(), e);
    }
    settle(database);
  }

  /**
   * Lets the server write {@value #WAL_BETWEEN_CHECKPOINTS} of WAL before it starts a checkpoint of
   * its own (the default is 1 GB), so that at the default size only {@link #settle} checkpoints,
   * between runs. With 1 GB, a run of 200,000 rows of 2 KiB (about 6 KB of WAL each, most of it
   * full-page images of the toast pages it rewrites) started two or three checkpoints at moments
   * that differed from run to run, and every checkpoint makes the pages touched next log a full
   * image again: on a slow disk one baseline's rounds then differed by up to 65%. Every run meets
   * the same setting, so no contender gains over another.
   */
  static void checkpointOnlyWhenSettled(DataSource database) {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER SYSTEM SET max_wal_size = '" + WAL_BETWEEN_CHECKPOINTS + "'");
      statement.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set max_wal_size: " + e.getMessage(), e);
    }
  }

  /**
   * Vacuums (so dead rows of the last run are reusable and visibility is set) and checkpoints (so
   * the next run starts with no dirty pages and a fresh WAL segment): each run starts alike.
   */
  static void settle(DataSource database) {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("VACUUM (ANALYZE) " + TABLE);
      statement.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot vacuum " + TABLE + ": " + e.getMessage(), e);
    }
  }

  /** Rows with an id in {@code [1, n]}, in id order (the first n rows). */
  static long[] firstIds(DataSource database, int n) {
    try (Connection connection = database.getConnection();
        var query =
            connection.prepareStatement("SELECT id FROM " + TABLE + " ORDER BY id LIMIT ?")) {
      query.setInt(1, n);
      long[] ids = new long[n];
      int count = 0;
      try (var rows = query.executeQuery()) {
        while (rows.next()) {
          ids[count++] = rows.getLong(1);
        }
      }
      return Arrays.copyOf(ids, count);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list ids of " + TABLE + ": " + e.getMessage(), e);
    }
  }

  /**
   * The plaintext size whose JSON envelope under {@code key} is about {@code envelopeBytes} long:
   * base64 turns every 3 bytes of ciphertext (plaintext and a 16-byte tag) into 4 characters.
   */
  static int plaintextFor(int envelopeBytes, KeyId key, JsonEnvelopeCodec codec) {
    byte[] nonce = new byte[Envelope.NONCE_BYTES];
    int overhead =
        codec.encode(new Envelope(key, nonce, new byte[Envelope.TAG_BYTES + 2])).length - 24;
    return Math.max(1, (envelopeBytes - overhead) / 4 * 3 - Envelope.TAG_BYTES);
  }

  /** A synthetic snapshot of exactly {@code bytes} bytes (no real PHI). */
  static byte[] snapshot(int id, String patientRef, int bytes) {
    String head =
        "{\"snapshot_id\":"
            + id
            + ",\"patient_hash\":\""
            + patientRef
            + "\",\"summary\":\"Synthetic AI chart summary "
            + id
            + ": generated test data that describes no real person.\",\"notes\":\"";
    byte[] out = new byte[bytes];
    byte[] start = head.getBytes(StandardCharsets.UTF_8);
    Arrays.fill(out, (byte) 'x');
    System.arraycopy(start, 0, out, 0, Math.min(start.length, bytes));
    if (bytes >= start.length + 2) {
      out[bytes - 2] = '"';
      out[bytes - 1] = '}';
    }
    return out;
  }

  /** A stable pseudonym; no identifier of a real person goes into the bench. */
  static String patientRef(int id) {
    return String.format("p-%08x", (id % 4_000) * 2_654_435_761L & 0xffff_ffffL);
  }

  /** COPY's text format: backslash, tab, newline and carriage return are escaped. */
  private static void writeCopyText(ByteArrayOutputStream out, byte[] value) {
    int plain = 0;
    while (plain < value.length && value[plain] != '\\' && value[plain] >= ' ') {
      plain++;
    }
    out.write(value, 0, plain);
    for (int i = plain; i < value.length; i++) {
      byte b = value[i];
      switch (b) {
        case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
        case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
        case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
        case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
        default -> out.write(b);
      }
    }
  }
}
