package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.postgresql.PGStatement;

/**
 * The yardstick: a hand-written loop as fast as it honestly goes. Each thread takes a disjoint id
 * range and repeats: a keyset-paginated read of one batch, decrypt and encrypt, one {@code UPDATE
 * ... FROM unnest(...)} of the whole batch, commit. Statements are server-side prepared from their
 * first execution. Its write is unconditional: it does not guard against a concurrent application
 * write, which the engine must (so the engine does strictly more work per row).
 */
final class BatchedLoop {

  private static final String PAGE =
      "SELECT id, payload::text FROM "
          + SnapshotRows.TABLE
          + " WHERE id > ? AND id <= ? ORDER BY id LIMIT ?";
  private static final String WRITE =
      "UPDATE "
          + SnapshotRows.TABLE
          + " AS t SET payload = v.new::jsonb"
          + " FROM unnest(?::bigint[], ?::text[]) AS v(id, new) WHERE t.id = v.id";

  private BatchedLoop() {}

  /** Moves every row to {@code target} on {@code threads} threads; returns rows rewritten. */
  static long run(DataSource database, Keyring keyring, KeyId target, int batch, int threads) {
    long[] bounds = bounds(database);
    long min = bounds[0] - 1;
    long width = Math.max(1, (bounds[1] - min + threads - 1) / threads);
    List<LongSupplier> ranges = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      long after = min + i * width;
      long upTo = i == threads - 1 ? bounds[1] : after + width;
      ranges.add(() -> range(database, keyring, target, batch, after, upTo));
    }
    return Parallel.sum(threads, ranges);
  }

  private static long range(
      DataSource database, Keyring keyring, KeyId target, int batch, long after, long upTo) {
    Reencryption reencryption = new Reencryption(new JsonEnvelopeCodec(), keyring, target);
    long rewritten = 0;
    try (Connection connection = database.getConnection();
        PreparedStatement page = connection.prepareStatement(PAGE);
        PreparedStatement write = connection.prepareStatement(WRITE)) {
      connection.setAutoCommit(false);
      page.unwrap(PGStatement.class).setPrepareThreshold(1);
      write.unwrap(PGStatement.class).setPrepareThreshold(1);
      Long[] ids = new Long[batch];
      String[] values = new String[batch];
      while (true) {
        page.setLong(1, after);
        page.setLong(2, upTo);
        page.setInt(3, batch);
        int read = 0;
        int changed = 0;
        try (ResultSet rows = page.executeQuery()) {
          while (rows.next()) {
            read++;
            long id = rows.getLong(1);
            after = id;
            byte[] stored = rows.getString(2).getBytes(StandardCharsets.UTF_8);
            byte[] replacement = reencryption.reencrypt(stored, Long.toString(id));
            if (replacement != null) {
              ids[changed] = id;
              values[changed++] = new String(replacement, StandardCharsets.UTF_8);
            }
          }
        }
        if (read == 0) {
          connection.commit();
          return rewritten;
        }
        if (changed > 0) {
          write.setArray(1, connection.createArrayOf("bigint", Arrays.copyOf(ids, changed)));
          write.setArray(2, connection.createArrayOf("text", Arrays.copyOf(values, changed)));
          rewritten += write.executeUpdate();
        }
        connection.commit();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("batched loop after id " + after + ": " + e.getMessage(), e);
    }
  }

  private static long[] bounds(DataSource database) {
    try (Connection connection = database.getConnection();
        Statement query = connection.createStatement();
        ResultSet row = query.executeQuery("SELECT min(id), max(id) FROM " + SnapshotRows.TABLE)) {
      row.next();
      return new long[] {row.getLong(1), row.getLong(2)};
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the id range: " + e.getMessage(), e);
    }
  }
}
