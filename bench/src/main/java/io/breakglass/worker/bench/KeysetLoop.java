package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.PGStatement;

/**
 * A hand-written loop as fast as simple code goes, with the write left open (the {@code batched}
 * and {@code unnest} baselines differ only in it). Each thread takes one of the {@link IdRanges} on
 * its own connection and repeats: a keyset-paginated read of one batch ({@code WHERE id > last
 * ORDER BY id LIMIT batch}, server-side prepared), decrypt and encrypt, the {@link BatchWrite} of
 * the rows that changed, commit: one transaction per batch.
 */
final class KeysetLoop {

  private static final String PAGE =
      "SELECT id, payload::text FROM "
          + SnapshotRows.TABLE
          + " WHERE id > ? AND id <= ? ORDER BY id LIMIT ?";

  private KeysetLoop() {}

  /** Moves every row to {@code target} on {@code threads} threads; returns rows rewritten. */
  static long run(
      DataSource database,
      Keyring keyring,
      KeyId target,
      int batch,
      int threads,
      BatchWrite.Opener writes) {
    return IdRanges.run(
        database,
        threads,
        (after, upTo) -> range(database, keyring, target, batch, writes, after, upTo));
  }

  private static long range(
      DataSource database,
      Keyring keyring,
      KeyId target,
      int batch,
      BatchWrite.Opener writes,
      long after,
      long upTo) {
    Reencryption reencryption = new Reencryption(new JsonEnvelopeCodec(), keyring, target);
    long rewritten = 0;
    try (Connection connection = database.getConnection();
        PreparedStatement page = connection.prepareStatement(PAGE);
        BatchWrite write = writes.open(connection)) {
      connection.setAutoCommit(false);
      page.unwrap(PGStatement.class).setPrepareThreshold(1);
      long[] ids = new long[batch];
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
          rewritten += write.write(ids, values, changed);
        }
        connection.commit();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("keyset loop after id " + after + ": " + e.getMessage(), e);
    }
  }
}
