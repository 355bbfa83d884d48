package io.breakglass.activities.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One real embedded PostgreSQL per test JVM, started on first use; each test takes a fresh database
 * of its own, so tests never see each other's rows.
 */
public final class TestPostgres {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /** A new, empty database. */
  public static synchronized Database newDatabase() {
    String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection connection = server().getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(server().getJdbcUrl("postgres", name));
    return new Database(name, dataSource.getURL(), dataSource);
  }

  /** The server's port (for tests that start processes of their own). */
  public static synchronized int port() {
    return server().getPort();
  }

  private static EmbeddedPostgres server() {
    if (server == null) {
      try {
        Path work = Files.createDirectories(Path.of("target", "embedded-pg"));
        server =
            EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(work.toFile())
                .setCleanDataDirectory(true)
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> close(started)));
    }
    return server;
  }

  private static void close(EmbeddedPostgres started) {
    try {
      started.close();
    } catch (IOException ignored) {
      // the JVM is exiting; the data directory is under target/
    }
  }

  /**
   * A test database.
   *
   * @param name its name
   * @param url its JDBC URL (user {@code postgres}, no password)
   * @param dataSource a non-pooled data source
   */
  public record Database(String name, String url, DataSource dataSource) {

    /** A Jdbi with the SqlObject plugin. */
    public Jdbi jdbi() {
      return Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
    }

    /**
     * A JDBC URL, user included, whose connections tell the server they belong to {@code
     * applicationName} ({@code current_setting('application_name')}, {@code pg_stat_activity}), so
     * the database can tell one client's statements from another's.
     */
    public String url(String applicationName) {
      return "jdbc:postgresql://localhost:"
          + port()
          + "/"
          + name
          + "?user=postgres&ApplicationName="
          + applicationName;
    }

    /** A non-pooled data source on {@link #url(String)}. */
    public DataSource dataSource(String applicationName) {
      PGSimpleDataSource named = new PGSimpleDataSource();
      named.setURL(url(applicationName));
      return named;
    }
  }
}
