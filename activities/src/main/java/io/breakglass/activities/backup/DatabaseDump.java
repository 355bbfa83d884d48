package io.breakglass.activities.backup;

import io.breakglass.activities.crypto.DecryptingInputStream;
import io.breakglass.activities.crypto.EncryptingOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A whole-database backup: {@code pg_dump --format=custom} streamed straight into the backup key's
 * streaming envelope (no plaintext touches the disk), checksummed, then proved by streaming it
 * decrypted into {@code pg_restore} in a scratch database and comparing the protected tables' row
 * counts. The dump runs on a snapshot exported from a transaction that counts those tables first,
 * so the counts are the dump's own even while the application writes.
 */
final class DatabaseDump {

  private static final int BUFFER_BYTES = 1 << 16;

  private final PgTools tools;
  private final BackupKeys keys;

  DatabaseDump(PgTools tools, BackupKeys keys) {
    this.tools = tools;
    this.keys = keys;
  }

  /**
   * What a dump wrote.
   *
   * @param file the encrypted dump
   * @param bytes its size
   * @param sha256 hex checksum of the encrypted file
   * @param rowCounts the protected tables' rows in the dump's snapshot
   */
  record Written(Path file, long bytes, String sha256, Map<String, Long> rowCounts) {}

  /**
   * Dumps the database {@code source} connects to into {@code file} (written as a partial file and
   * renamed when complete), with its checksum beside it in {@code sha256sum} form.
   *
   * @param tables the protected tables whose rows the restore must match
   * @param associatedData bound to the ciphertext: the file does not decrypt in another's place
   * @throws UnusableBackupException when {@code pg_dump} fails, naming its exit code and last error
   */
  Written dump(
      PgServer server, List<String> tables, Path file, byte[] associatedData, LongConsumer progress)
      throws IOException, SQLException {
    Files.createDirectories(file.getParent());
    Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
    MessageDigest digest = Sha256.digest();
    Map<String, Long> counts;
    try (Connection snapshotHolder = server.dataSource().getConnection()) {
      snapshotHolder.setAutoCommit(false);
      snapshotHolder.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      String snapshot = single(snapshotHolder, "SELECT pg_export_snapshot()");
      counts = rowCounts(snapshotHolder, tables);
      Process dump =
          server
              .command(
                  List.of(
                      tools.pgDump().toString(),
                      "--format=custom",
                      "--snapshot=" + snapshot,
                      "--no-password"))
              .start();
      ErrorTail errors = ErrorTail.of(dump);
      try {
        dump.getOutputStream().close();
        try (OutputStream fileOut = Files.newOutputStream(partial);
            EncryptingOutputStream out =
                new EncryptingOutputStream(
                    new BufferedOutputStream(new DigestOutputStream(fileOut, digest), BUFFER_BYTES),
                    keys.current(),
                    keys,
                    associatedData);
            InputStream dumped = dump.getInputStream()) {
          copy(dumped, out, progress);
        }
        int exit = waitFor(dump);
        if (exit != 0) {
          throw new UnusableBackupException(
              "pg_dump of " + server.database() + " exited " + exit + ": " + errors.text());
        }
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(partial);
        throw e;
      } finally {
        dump.destroyForcibly();
        snapshotHolder.rollback();
      }
    }
    String sha256 = Sha256.hex(digest);
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(
        file.resolveSibling(file.getFileName() + ".sha256"),
        sha256 + "  " + file.getFileName() + "\n",
        StandardCharsets.UTF_8);
    return new Written(file, Files.size(file), sha256, counts);
  }

  /**
   * Proves a dump: its checksum first (a corrupted file never reaches {@code pg_restore}), then a
   * decrypting stream into {@code pg_restore} in the scratch database {@code scratch}, created
   * afresh and dropped afterwards, and the protected tables' row counts there.
   *
   * @throws UnusableBackupException when the checksum differs, the file does not decrypt, {@code
   *     pg_restore} fails or a table's rows differ
   */
  void verify(
      PgServer server,
      String scratch,
      Written written,
      byte[] associatedData,
      LongConsumer progress)
      throws IOException, SQLException {
    String actual = Sha256.of(written.file());
    if (!actual.equals(written.sha256())) {
      throw new UnusableBackupException(
          "database dump "
              + written.file().getFileName()
              + ": sha256 "
              + actual
              + " differs from "
              + written.sha256()
              + " recorded when it was written");
    }
    PgServer scratchServer = server.withDatabase(scratch);
    try (Connection admin = server.dataSource().getConnection();
        Statement sql = admin.createStatement()) {
      sql.execute("DROP DATABASE IF EXISTS " + SqlName.quotedPart(scratch));
      sql.execute("CREATE DATABASE " + SqlName.quotedPart(scratch) + " TEMPLATE template0");
    }
    try {
      restore(scratchServer, written, associatedData, progress);
      Map<String, Long> restored;
      try (Connection connection = scratchServer.dataSource().getConnection()) {
        restored = rowCounts(connection, List.copyOf(written.rowCounts().keySet()));
      }
      if (!restored.equals(written.rowCounts())) {
        throw new UnusableBackupException(
            "database dump "
                + written.file().getFileName()
                + " restored rows "
                + restored
                + ", the dump's snapshot had "
                + written.rowCounts());
      }
    } finally {
      try (Connection admin = server.dataSource().getConnection();
          Statement sql = admin.createStatement()) {
        sql.execute("DROP DATABASE IF EXISTS " + SqlName.quotedPart(scratch));
      }
    }
  }

  private void restore(
      PgServer scratch, Written written, byte[] associatedData, LongConsumer progress)
      throws IOException {
    Process restore =
        scratch
            .command(
                List.of(
                    tools.pgRestore().toString(),
                    "--dbname=" + scratch.database(),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--no-password"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    ErrorTail errors = ErrorTail.of(restore);
    try {
      try (InputStream file = Files.newInputStream(written.file());
          DecryptingInputStream plaintext =
              new DecryptingInputStream(
                  new BufferedInputStream(file, BUFFER_BYTES), keys, associatedData);
          OutputStream restoring = restore.getOutputStream()) {
        copyUntilClosed(plaintext, restoring, progress);
      }
      int exit = waitFor(restore);
      if (exit != 0) {
        throw new UnusableBackupException(
            "database dump "
                + written.file().getFileName()
                + " does not restore: pg_restore exited "
                + exit
                + ": "
                + errors.text());
      }
    } finally {
      restore.destroyForcibly();
    }
  }

  /** Copies until the end; a reader that stops early (a failed pg_restore) ends the copy. */
  private static void copyUntilClosed(InputStream in, OutputStream out, LongConsumer progress)
      throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      try {
        out.write(buffer, 0, n);
      } catch (IOException brokenPipe) {
        return; // pg_restore stopped reading; its exit code and error tell why
      }
      total += n;
      progress.accept(total);
    }
  }

  private static void copy(InputStream in, OutputStream out, LongConsumer progress)
      throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      out.write(buffer, 0, n);
      total += n;
      progress.accept(total);
    }
  }

  private static Map<String, Long> rowCounts(Connection connection, List<String> tables)
      throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : tables) {
      counts.put(
          table,
          Long.parseLong(single(connection, "SELECT count(*) FROM " + SqlName.quoted(table))));
    }
    return counts;
  }

  private static String single(Connection connection, String query) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static int waitFor(Process process) throws IOException {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(
          "interrupted while " + process.info().command().orElse("a client") + " ran");
    }
  }

  /** The last lines a client program wrote to stderr: its error, never data. */
  private static final class ErrorTail {

    private static final int MAX_CHARS = 600;
    private final StringBuilder tail = new StringBuilder();
    private final Thread reader;

    private ErrorTail(Process process) {
      reader =
          new Thread(
              () -> {
                try (InputStream err = process.getErrorStream()) {
                  byte[] buffer = new byte[4096];
                  int n;
                  while ((n = err.read(buffer)) != -1) {
                    append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                  }
                } catch (IOException ignored) {
                  // the process ended; what was read is the tail
                }
              },
              "pg-client-stderr");
      reader.setDaemon(true);
      reader.start();
    }

    static ErrorTail of(Process process) {
      return new ErrorTail(process);
    }

    private synchronized void append(String text) {
      tail.append(text);
      if (tail.length() > MAX_CHARS) {
        tail.delete(0, tail.length() - MAX_CHARS);
      }
    }

    String text() {
      try {
        reader.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        String text = tail.toString().strip().replaceAll("\\s*\\n\\s*", " | ");
        return text.isEmpty() ? "(no error output)" : text;
      }
    }
  }
}
