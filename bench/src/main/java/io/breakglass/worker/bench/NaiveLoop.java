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

/**
 * The loop nobody should ship: for each row, one SELECT, then one UPDATE in its own transaction
 * (autocommit), one thread. Its rate is measured on the first rows of the table.
 */
final class NaiveLoop {

  private NaiveLoop() {}

  /** Moves rows {@code ids} to {@code target}; returns how many it rewrote. */
  static long run(DataSource database, Keyring keyring, KeyId target, long[] ids) {
    Reencryption reencryption = new Reencryption(new JsonEnvelopeCodec(), keyring, target);
    long rewritten = 0;
    try (Connection connection = database.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT payload::text FROM " + SnapshotRows.TABLE + " WHERE id = ?");
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE " + SnapshotRows.TABLE + " SET payload = ?::jsonb WHERE id = ?")) {
      for (long id : ids) {
        select.setLong(1, id);
        byte[] stored;
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            continue;
          }
          stored = row.getString(1).getBytes(StandardCharsets.UTF_8);
        }
        byte[] replacement = reencryption.reencrypt(stored, Long.toString(id));
        if (replacement == null) {
          continue;
        }
        update.setString(1, new String(replacement, StandardCharsets.UTF_8));
        update.setLong(2, id);
        rewritten += update.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("naive loop: " + e.getMessage(), e);
    }
    return rewritten;
  }
}
