package io.breakglass.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.breakglass.worker.ThisMachine;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

  /** Unpacked binaries, shared by every test run of this module (zonky caches them there). */
  private static final Path BINARIES = Path.of("target", "pg-work").toAbsolutePath();

  @TempDir Path folder;

  @Test
  void givenATableWritten_whenTheDatabaseRestartsOnTheSameFolder_theRowsAreStillThere()
      throws Exception {
    Path data = folder.resolve("pg-data");
    try (EmbeddedDatabase first = EmbeddedDatabase.start(data, BINARIES, 0)) {
      first.ensureDatabase("breakglass");
      update(first.jdbcUrl("breakglass"), "CREATE TABLE rotation (id text PRIMARY KEY)");
      update(first.jdbcUrl("breakglass"), "INSERT INTO rotation VALUES ('2026-11-28-jwt')");
    }
    assertThat(data.resolve("PG_VERSION")).hasContent("14");

    try (EmbeddedDatabase second = EmbeddedDatabase.start(data, BINARIES, 0)) {
      assertThat(query(second.jdbcUrl("breakglass"), "SELECT id FROM rotation"))
          .containsExactly("2026-11-28-jwt");
    }
  }

  /** Negative control: a fresh folder does not have the table, so the check above can fail. */
  @Test
  void givenAFreshFolder_theTableDoesNotExist() {
    // The one-argument start: binaries in pg-work next to the data folder, unless zonky has
    // already unpacked them elsewhere in this JVM.
    try (EmbeddedDatabase database = EmbeddedDatabase.start(folder.resolve("pg-data"))) {
      database.ensureDatabase("breakglass");

      assertThatThrownBy(() -> query(database.jdbcUrl("breakglass"), "SELECT id FROM rotation"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("relation \"rotation\" does not exist");
    }
  }

  @Test
  void givenADatabaseThatExists_ensureDatabaseLeavesItAndItsDataAlone() throws Exception {
    try (EmbeddedDatabase database = startInFolder()) {
      database.ensureDatabase("breakglass");
      update(database.jdbcUrl("breakglass"), "CREATE TABLE kept (n int)");
      update(database.jdbcUrl("breakglass"), "INSERT INTO kept VALUES (1)");

      database.ensureDatabase("breakglass");

      assertThat(query(database.jdbcUrl("breakglass"), "SELECT n FROM kept")).containsExactly("1");
      assertThat(
              query(
                  database.jdbcUrl("postgres"),
                  "SELECT datname FROM pg_database WHERE datname = 'breakglass'"))
          .hasSize(1);
    }
  }

  @Test
  void givenADatabaseNameThatIsNotAPlainIdentifier_itIsRefused() {
    try (EmbeddedDatabase database = startInFolder()) {
      assertThatThrownBy(() -> database.ensureDatabase("x\"; DROP DATABASE postgres; --"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("database names are");
    }
  }

  @Test
  void itRunsWithFsyncAndSynchronousCommitOn() throws Exception {
    try (EmbeddedDatabase database = startInFolder()) {
      String url = database.jdbcUrl("postgres");

      assertThat(query(url, "SHOW fsync")).containsExactly("on");
      assertThat(query(url, "SHOW synchronous_commit")).containsExactly("on");
      assertThat(query(url, "SHOW listen_addresses")).containsExactly("127.0.0.1");
    }
  }

  @Test
  void givenAFixedPort_itListensThereOnLoopbackOnly() {
    int port = ThisMachine.freePort();
    try (EmbeddedDatabase database =
        EmbeddedDatabase.start(folder.resolve("pg-data"), BINARIES, port)) {
      assertThat(database.port()).isEqualTo(port);
      assertThat(database.jdbcUrl("breakglass"))
          .isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/breakglass?user=postgres");
      assertThat(ThisMachine.accepts(InetAddress.getLoopbackAddress(), port)).isTrue();
      Optional<InetAddress> external = ThisMachine.nonLoopbackAddress();
      assumeTrue(external.isPresent(), "this machine has no non-loopback address to probe from");
      assertThat(ThisMachine.accepts(external.get(), port)).isFalse();
    }
  }

  @Test
  void givenTheProcessWasKilled_theNextStartStopsTheLeftoverServerAndKeepsTheData()
      throws Exception {
    Path data = folder.resolve("pg-data");
    Path output = folder.resolve("child.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedDatabaseProcess.class.getName(),
                data.toString(),
                BINARIES.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      await()
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(90))
          .until(() -> Files.exists(output) && Files.readString(output).contains("READY"));
    } finally {
      child.destroyForcibly().waitFor();
    }
    long leftover = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0));
    assertThat(ProcessHandle.of(leftover)).as("server left running by the killed JVM").isPresent();

    try (EmbeddedDatabase restarted = EmbeddedDatabase.start(data, BINARIES, 0)) {
      assertThat(ProcessHandle.of(leftover).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(query(restarted.jdbcUrl("survivor"), "SELECT body FROM note"))
          .containsExactly("written before kill -9");
    } finally {
      // Should this test fail, do not leave the server it started behind.
      ProcessHandle.of(leftover).ifPresent(ProcessHandle::destroy);
    }
  }

  @Test
  void givenAFolderInsideZonkysScratchFolder_itRefusesBeforeZonkyCanDeleteIt() {
    Path scratch = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
    assumeTrue(
        System.getProperty("ot.epg.working-dir") == null, "zonky's scratch folder is overridden");

    assertThatThrownBy(() -> EmbeddedDatabase.start(scratch.resolve("breakglass"), BINARIES, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zonky deletes stale folders there");
  }

  private EmbeddedDatabase startInFolder() {
    return EmbeddedDatabase.start(folder.resolve("pg-data"), BINARIES, 0);
  }

  private static void update(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static List<String> query(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }
}
