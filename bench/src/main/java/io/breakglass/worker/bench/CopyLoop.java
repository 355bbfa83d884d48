package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;

/**
 * The {@code copy} baseline: reads through {@code COPY ... TO STDOUT (FORMAT binary)}, writes as
 * {@link UnnestWrite}. Each thread takes one of the {@link IdRanges} with two connections: one
 * streams the whole range in id order through a single {@code COPY} (PgJDBC's {@code CopyManager}),
 * the other writes each batch of {@code batch} rows read and commits it. Memory stays bounded: the
 * reader holds one batch and a read buffer, and the server waits while the socket is full. The
 * {@code COPY} runs in one long snapshot for the whole range, which keeps the dead versions the
 * writer leaves from being pruned during the run (the others read in short transactions).
 */
final class CopyLoop {

  private static final int READ_BUFFER = 1 << 16;

  private CopyLoop() {}

  /** Moves every row to {@code target} on {@code threads} threads; returns rows rewritten. */
  static long run(DataSource database, Keyring keyring, KeyId target, int batch, int threads) {
    return IdRanges.run(
        database, threads, (after, upTo) -> range(database, keyring, target, batch, after, upTo));
  }

  /** The range's rows, in id order; bounds are numbers, so the text is safe to build. */
  static String copy(long after, long upTo) {
    return "COPY (SELECT id, payload::text FROM "
        + SnapshotRows.TABLE
        + " WHERE id > "
        + after
        + " AND id <= "
        + upTo
        + " ORDER BY id) TO STDOUT (FORMAT binary)";
  }

  private static long range(
      DataSource database, Keyring keyring, KeyId target, int batch, long after, long upTo) {
    Reencryption reencryption = new Reencryption(new JsonEnvelopeCodec(), keyring, target);
    long rewritten = 0;
    long last = after;
    try (Connection reader = database.getConnection();
        Connection writer = database.getConnection();
        BatchWrite write = new UnnestWrite(writer);
        InputStream stream =
            new PGCopyInputStream(
                reader.unwrap(PGConnection.class).getCopyAPI().copyOut(copy(after, upTo)))) {
      writer.setAutoCommit(false);
      CopyBinaryReader rows = new CopyBinaryReader(new BufferedInputStream(stream, READ_BUFFER), 2);
      long[] ids = new long[batch];
      String[] values = new String[batch];
      int read = 0;
      int changed = 0;
      for (byte[][] row = rows.next(); row != null; row = rows.next()) {
        read++;
        long id = CopyBinaryReader.int8(row[0]);
        last = id;
        byte[] replacement = reencryption.reencrypt(row[1], Long.toString(id));
        if (replacement != null) {
          ids[changed] = id;
          values[changed++] = new String(replacement, StandardCharsets.UTF_8);
        }
        if (read == batch) {
          rewritten += changed > 0 ? write.write(ids, values, changed) : 0;
          writer.commit();
          read = 0;
          changed = 0;
        }
      }
      if (changed > 0) {
        rewritten += write.write(ids, values, changed);
      }
      writer.commit();
      return rewritten;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("copy loop after id " + last + ": " + e.getMessage(), e);
    }
  }
}
