package io.breakglass.activities.backup;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where a data source's database is, as the PostgreSQL client programs are told it: host, port,
 * database and user from the JDBC connection, the password from the configured environment
 * variable. The password goes to the programs' environment only, never to their arguments.
 *
 * @param host the server's host
 * @param port its port
 * @param database the database
 * @param user the user the data source connects as
 * @param password the password, or null when the server needs none
 */
record PgServer(String host, int port, String database, String user, String password) {

  /** The server a connection of {@code source} reaches. */
  static PgServer of(DataSource source, String password) throws SQLException {
    try (Connection connection = source.getConnection()) {
      String url = connection.getMetaData().getURL();
      Properties parsed = Driver.parseURL(url, new Properties());
      if (parsed == null) {
        throw new SQLException("not a PostgreSQL JDBC URL: " + url.replaceAll("\\?.*", ""));
      }
      String host = parsed.getProperty("PGHOST", "localhost").split(",")[0];
      String port = parsed.getProperty("PGPORT", "5432").split(",")[0];
      return new PgServer(
          host,
          Integer.parseInt(port),
          parsed.getProperty("PGDBNAME"),
          connection.getMetaData().getUserName(),
          password);
    }
  }

  /** The same server and user, another database. */
  PgServer withDatabase(String other) {
    return new PgServer(host, port, other, user, password);
  }

  /** A non-pooled data source on this database. */
  DataSource dataSource() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setServerNames(new String[] {host});
    source.setPortNumbers(new int[] {port});
    source.setDatabaseName(database);
    source.setUser(user);
    if (password != null) {
      source.setPassword(password);
    }
    source.setApplicationName("breakglass-backup-verify");
    return source;
  }

  /** A command for a client program on this database: the arguments, then libpq's variables. */
  ProcessBuilder command(List<String> arguments) {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(arguments));
    Map<String, String> environment = builder.environment();
    environment.put("PGHOST", host);
    environment.put("PGPORT", Integer.toString(port));
    environment.put("PGDATABASE", database);
    environment.put("PGUSER", user);
    environment.remove("PGPASSWORD");
    if (password != null) {
      environment.put("PGPASSWORD", password);
    }
    return builder;
  }

  @Override
  public String toString() {
    return "PgServer[" + user + "@" + host + ":" + port + "/" + database + "]";
  }
}
