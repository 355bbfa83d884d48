package io.breakglass.worker.crash;

import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The protected application writing while Breakglass rotates: it rewrites rows of {@code
 * ai_json_snapshots} with fresh synthetic content, each in a fresh envelope under the version of
 * {@code secret} that is CURRENT at that moment, bound to the row id, over a connection of its own
 * ({@value #APPLICATION}). It remembers the last plaintext it wrote to each row. Writes come from
 * its own thread ({@link #start}) or from a caller ({@link #write}); each one is committed when it
 * returns. Rows are picked from a fixed seed ({@value #SEED}), so a run can be repeated.
 */
final class ApplicationWriter implements AutoCloseable {

  static final String APPLICATION = "clinic-app";
  private static final long SEED = 20261128L;

  private final String secret;
  private final SecretStore store;
  private final StoreKeyring keyring;
  private final int rows;
  private final Connection connection;
  private final PreparedStatement update;
  private final Random random = new Random(SEED);
  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private final JsonEnvelopeCodec codec = new JsonEnvelopeCodec();
  private final Map<Long, String> lastWritten = new TreeMap<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private int writes;
  private volatile boolean stopping;
  private Thread thread;

  /** A writer of rows 1 to {@code rows} of {@code database}, encrypting under {@code secret}. */
  ApplicationWriter(TestPostgres.Database database, SecretStore store, String secret, int rows)
      throws SQLException {
    this.secret = secret;
    this.store = store;
    this.keyring = new StoreKeyring(store);
    this.rows = rows;
    this.connection = database.dataSource(APPLICATION).getConnection();
    this.update =
        connection.prepareStatement(
            "UPDATE ai_json_snapshots SET payload = ?::jsonb, updated_at = now() WHERE id = ?");
  }

  /** Starts rewriting random rows, one after another, until {@link #stop}. */
  void start() {
    thread =
        new Thread(
            () -> {
              try {
                while (!stopping) {
                  write(1 + random.nextInt(rows));
                  Thread.sleep(5); // about as often as the rotation writes a batch
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                failure.set(e);
              }
            },
            "application-writer");
    thread.start();
  }

  /** Stops the thread; throws what made it fail, if anything did. */
  void stop() throws InterruptedException {
    stopping = true;
    if (thread != null) {
      thread.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** Rewrites {@code row} as the application would; returns once it is committed. */
  synchronized void write(long row) {
    KeyId current =
        new KeyId(secret, store.describe(secret).labelled(Label.CURRENT).orElseThrow().versionId());
    String plaintext =
        "{\"snapshot_id\":"
            + row
            + ",\"written_by\":\""
            + APPLICATION
            + "\",\"revision\":"
            + ++writes
            + "}";
    byte[] envelope =
        codec.encode(
            cipher.encrypt(
                current,
                keyring.key(current),
                plaintext.getBytes(StandardCharsets.UTF_8),
                Long.toString(row).getBytes(StandardCharsets.UTF_8)));
    try {
      update.setString(1, new String(envelope, StandardCharsets.UTF_8));
      update.setLong(2, row);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("row " + row + " does not exist");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write row " + row, e);
    }
    lastWritten.put(row, plaintext);
  }

  /** The last plaintext written to each row this writer touched. */
  synchronized Map<Long, String> lastWritten() {
    return new TreeMap<>(lastWritten);
  }

  /** Stops the thread if it runs and closes the connection. */
  @Override
  public void close() throws Exception {
    stopping = true;
    if (thread != null) {
      thread.join();
    }
    connection.close();
  }
}
