package io.breakglass.activities.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An embedded PostgreSQL of its own that a test can crash like a power cut takes a database server:
 * every server process is killed with {@code SIGKILL}, so whatever WAL was still in the server's
 * shared memory is gone, and the restart recovers from what reached the WAL files. Its settings
 * make the gap between an asynchronous commit and its WAL write wide and sure: the WAL writer
 * sleeps 10 s between rounds, the background writer writes no pages (writing a page flushes the WAL
 * before it), nothing vacuums. Commits are synchronous unless a session says otherwise.
 */
public final class CrashablePostgres implements AutoCloseable {

  private static final String DATABASE = "crash";

  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;

  private CrashablePostgres(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  /** Starts a fresh cluster in {@code folder} with one empty database. */
  public static CrashablePostgres start(Path folder) {
    CrashablePostgres postgres = new CrashablePostgres(folder.resolve("data"), freePort());
    postgres.server = postgres.boot();
    try (Connection connection = postgres.server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the test database", e);
    }
    return postgres;
  }

  /** The test database; the server keeps its port across restarts, so this stays valid. */
  public TestPostgres.Database database() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(server.getJdbcUrl("postgres", DATABASE));
    return new TestPostgres.Database(DATABASE, dataSource.getURL(), dataSource);
  }

  /** Kills every server process at once with {@code SIGKILL}, then waits until all are gone. */
  public void crash() {
    long postmaster = postmasterPid();
    ProcessHandle main =
        ProcessHandle.of(postmaster)
            .orElseThrow(() -> new IllegalStateException("postmaster " + postmaster + " is gone"));
    List<ProcessHandle> all =
        java.util.stream.Stream.concat(java.util.stream.Stream.of(main), main.descendants())
            .toList();
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle process : all) {
      process.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
    }
    try {
      // Releases zonky's lock on the folder; its own "pg_ctl stop" finds no server and says so.
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the server again on the same folder; PostgreSQL runs crash recovery first. */
  public void restart() {
    server = boot();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long postmasterPid() {
    try {
      return Long.parseLong(
          Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the postmaster's pid", e);
    }
  }

  /** Runs initdb when the folder holds no cluster yet; never deletes it (zonky would on close). */
  private EmbeddedPostgres boot() {
    try {
      Path work = Files.createDirectories(Path.of("target", "embedded-pg"));
      return EmbeddedPostgres.builder()
          .setOverrideWorkingDirectory(work.toFile())
          .setDataDirectory(dataDirectory)
          .setPort(port)
          .setCleanDataDirectory(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("fsync", "on")
          .setServerConfig("wal_writer_delay", "10000ms")
          .setServerConfig("bgwriter_lru_maxpages", "0")
          .setServerConfig("autovacuum", "off")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }
}
