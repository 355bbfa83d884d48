package io.breakglass.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.api.CommandRun;
import io.breakglass.api.RotationRecordRows;
import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor}, run in-process from a configuration file on a real PostgreSQL table, the local
 * store and an embedded Temporal server. A clean state exits 0. What an interrupted rotation leaves
 * behind (its PENDING version, rows already under it, its record still RUNNING though Temporal has
 * no workflow of it) is found, each a finding, with exit {@value DoctorCommand#NEEDS_A_HUMAN}; the
 * record is closed GONE as the sweep would close it.
 */
class DoctorCommandTest {

  private static final String KEY = "ai-payload-encryption-key";
  private static final int ROWS = 60;

  @TempDir Path folder;
  private TestPostgres.Database database;
  private LocalSecretStore local;
  private SnapshotTable table;
  private EmbeddedTemporal temporal;
  private Path config;

  @BeforeEach
  void aRotatedSecretWithItsData() throws Exception {
    database = TestPostgres.newDatabase();
    BreakglassSchema.migrate(database.dataSource());
    local =
        new LocalSecretStore(
            folder.resolve("secrets.store"), MasterKey.createFile(folder.resolve("master.key")));
    local.createPending(KEY, "v1", key(), Map.of("rotationId", "r-first"));
    local.moveCurrent(KEY, "v1");
    table = new SnapshotTable(database, new StoreKeyring(local));
    table.seed(ROWS, new KeyId(KEY, "v1"));
    temporal = EmbeddedTemporal.start(0);
    config = writeConfiguration();
  }

  @AfterEach
  void stopTemporal() {
    temporal.close();
  }

  @Test
  void aCleanState_needsNoHuman_andExitsZero() {
    CommandRun run = doctor();

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("secret " + KEY)
        .contains("  CURRENT   v1")
        .contains("        60 under " + KEY + ":v1")
        .contains("rotations in flight: none")
        .contains("stale records: none")
        .contains("nothing needs a human");
  }

  @Test
  void whatAnInterruptedRotationLeft_isFound_andTheExitCodeSaysAHumanIsNeeded() {
    local.createPending(KEY, "v2", key(), Map.of("rotationId", "r-killed"));
    for (long row = 1; row <= 10; row++) {
      table.applicationWrite(row, 1, new KeyId(KEY, "v2"));
    }
    RotationRecordRows.insertRunning(
        Jdbi.create(database.dataSource()), "r-killed", "rotation-r-killed", KEY);

    CommandRun run = doctor();

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(DoctorCommand.NEEDS_A_HUMAN);
    assertThat(run.out())
        .contains("  PENDING   v2")
        .contains("  leftover  v2 (PENDING, made by rotation r-killed)")
        .contains("        10 under " + KEY + ":v2")
        .contains("        50 under " + KEY + ":v1")
        .contains("r-killed EMERGENCY of [" + KEY + "], started")
        .contains("now GONE")
        .contains("needs a human:")
        .contains("version v2 (PENDING, made by rotation r-killed) is usable but neither CURRENT")
        .contains("10 item(s) under " + KEY + ":v2, not under the CURRENT " + KEY + ":v1")
        .contains("rotation r-killed was recorded RUNNING, but it ended GONE");
    assertThat(run.err()).contains("doctor: 3 finding(s) need a human");
    assertThat(RotationRecordRows.state(Jdbi.create(database.dataSource()), "r-killed"))
        .as("closed as the sweep would")
        .isEqualTo("GONE");
  }

  @Test
  void json_isOneDocumentOnStandardOutput_withTheFindings() throws Exception {
    local.createPending(KEY, "v2", key(), Map.of("rotationId", "r-killed"));

    CommandRun run = doctor("--json", "--no-scan");

    assertThat(run.exit()).as(run.err()).isEqualTo(DoctorCommand.NEEDS_A_HUMAN);
    JsonNode checkup = new ObjectMapper().readTree(run.out());
    assertThat(checkup.path("secrets").get(0).path("versions").path("PENDING").get(0).asText())
        .isEqualTo("v2");
    assertThat(checkup.path("dataSets").size()).as("--no-scan").isZero();
    assertThat(checkup.path("findings").size()).isEqualTo(1);
    assertThat(checkup.path("needsAHuman").asBoolean()).isTrue();
  }

  private byte[] key() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private Path writeConfiguration() throws Exception {
    String yaml =
        """
        temporal:
          target: %s
        databases:
          breakglass:
            driverClass: org.postgresql.Driver
            url: %s
            user: postgres
          clinic:
            driverClass: org.postgresql.Driver
            url: %s
            user: postgres
        rotation:
          secretStore:
            path: %s
            masterKeyFile: %s
          secrets:
            - {name: %s, kind: DATA_KEY}
          dataSets:
            - {name: ai-snapshots, secret: %s, type: POSTGRES_COLUMN, database: clinic,
               table: ai_json_snapshots, column: payload, format: JSON, associatedData: ROW_ID}
          backups: {directory: %s}
          approvals: {allowUnsigned: true}
        """
            .formatted(
                temporal.target(),
                database.url(),
                database.url(),
                folder.resolve("secrets.store"),
                folder.resolve("master.key"),
                KEY,
                KEY,
                folder.resolve("backups"));
    return Files.writeString(folder.resolve("breakglass.yml"), yaml);
  }

  private CommandRun doctor(String... options) {
    List<String> arguments = new ArrayList<>(List.of("doctor"));
    arguments.addAll(List.of(options));
    arguments.add(config.toString());
    return CommandRun.of(
        new FileConfigurationSourceProvider(),
        DoctorCommand::new,
        arguments.toArray(String[]::new));
  }
}
