package io.breakglass.worker.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 14 (zonky's embedded binaries) whose data lives in a folder that outlives the process:
 * start it again on the same folder and the databases are still there. It listens on 127.0.0.1
 * only, over TCP (no Unix socket), with {@code fsync} and {@code synchronous_commit} on, which
 * zonky turns off for throw-away test databases.
 *
 * <p>Works as root: zonky then runs {@code initdb}, {@code pg_ctl} and {@code postgres} inside an
 * unprivileged user namespace ({@code unshare -U}).
 *
 * <p>An orderly JVM exit stops the server (zonky registers a shutdown hook). A server left running
 * by a process that was killed ({@code kill -9}) is stopped on the next start (see {@link
 * OrphanPostmaster}), so a hard kill of {@code dev} does not lock the folder.
 *
 * <p>zonky still creates its (then empty) scratch folder {@code <java.io.tmpdir>/embedded-pg}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /**
   * The superuser. The cluster trusts every connection (initdb {@code -A trust}), so any process on
   * this machine can connect: a development database, not a place for production data.
   */
  public static final String USER = "postgres";

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final String DUPLICATE_DATABASE = "42P04";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts on a free port (a different one on each start: take URLs from {@link #jdbcUrl}), with
   * the binaries unpacked into {@code pg-work} next to {@code dataDirectory}.
   */
  public static EmbeddedDatabase start(Path dataDirectory) {
    Path data = dataDirectory.toAbsolutePath().normalize();
    return start(data, data.resolveSibling("pg-work"), 0);
  }

  /**
   * Starts PostgreSQL on {@code dataDirectory}, creating the cluster there on first use.
   *
   * @param dataDirectory the cluster's folder; reused as it is when it already holds one
   * @param workingDirectory where zonky unpacks the PostgreSQL binaries (instead of {@code
   *     /tmp/embedded-pg}); zonky remembers the first one per JVM and reuses it for later starts
   * @param port the TCP port on 127.0.0.1; 0 picks a free one
   */
  public static EmbeddedDatabase start(Path dataDirectory, Path workingDirectory, int port) {
    Path data = dataDirectory.toAbsolutePath().normalize();
    refuseZonkyScratchFolder(data);
    try {
      Files.createDirectories(workingDirectory);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(data)
              // Without this zonky runs initdb over the existing cluster and deletes it on close.
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(workingDirectory.toFile())
              .setPort(port)
              .setPGStartupWait(STARTUP_WAIT)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("unix_socket_directories", "''")
              // zonky starts postgres with -F (fsync off) and synchronous_commit off: fine for a
              // throw-away test database, not for data that must survive a crash.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              // Runs while zonky holds its lock on the folder, right before the server starts.
              .setDataDirectoryCustomizer(OrphanPostmaster::stopIfRunning)
              .start();
      log.info("embedded PostgreSQL on 127.0.0.1:{}, data in {}", postgres.getPort(), data);
      return new EmbeddedDatabase(postgres, data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL on " + data, e);
    }
  }

  /**
   * zonky deletes every unlocked sub-folder of its scratch folder ({@code ot.epg.working-dir},
   * default {@code <java.io.tmpdir>/embedded-pg}) whose lock file is over ten minutes old: a
   * cluster kept there would be wiped by the next start.
   */
  private static void refuseZonkyScratchFolder(Path data) {
    Path scratch =
        Path.of(
                System.getProperty(
                    "ot.epg.working-dir",
                    Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()))
            .toAbsolutePath()
            .normalize();
    if (scratch.equals(data.getParent())) {
      throw new IllegalArgumentException(
          "the embedded database folder "
              + data
              + " must not be directly inside "
              + scratch
              + ": zonky deletes stale folders there");
    }
  }

  /** The TCP port on 127.0.0.1. */
  public int port() {
    return postgres.getPort();
  }

  /** The cluster's folder. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** A JDBC URL for {@code database} as {@value #USER} (no password: loopback is trusted). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + requireName(database) + "?user=" + USER;
  }

  /** Creates {@code database} unless it exists; safe to call on every start. */
  public void ensureDatabase(String database) {
    requireName(database);
    try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"))) {
      try (PreparedStatement exists =
          admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, database);
        try (ResultSet row = exists.executeQuery()) {
          if (row.next()) {
            return;
          }
        }
      }
      try (Statement create = admin.createStatement()) {
        // CREATE DATABASE takes no parameters; the name is checked against DATABASE_NAME above.
        create.execute("CREATE DATABASE \"" + database + "\"");
        log.info("created database {}", database);
      }
    } catch (SQLException e) {
      if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
        throw new IllegalStateException("cannot create database " + database, e);
      }
    }
  }

  private static String requireName(String database) {
    if (database == null || !DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "database names are 1-63 lower-case letters, digits and '_', starting with a letter or"
              + " '_'; got: "
              + database);
    }
    return database;
  }

  /** Stops the server ({@code pg_ctl stop -m fast}); the data stays in the folder. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL on " + dataDirectory, e);
    }
  }
}
