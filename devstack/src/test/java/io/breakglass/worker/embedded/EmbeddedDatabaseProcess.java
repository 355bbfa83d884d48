package io.breakglass.worker.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A separate JVM for {@link EmbeddedDatabaseTest}: starts an embedded database on the folder given,
 * writes a row, prints {@code READY} and waits to be killed.
 */
public final class EmbeddedDatabaseProcess {

  private EmbeddedDatabaseProcess() {}

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]), Path.of(args[1]), 0);
    database.ensureDatabase("survivor");
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl("survivor"));
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE note (body text)");
      statement.execute("INSERT INTO note VALUES ('written before kill -9')");
    }
    System.out.println("READY " + database.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
