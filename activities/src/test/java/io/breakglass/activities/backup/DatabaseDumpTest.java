package io.breakglass.activities.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DatabaseDumpConfig;
import io.breakglass.activities.crypto.DecryptingInputStream;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.activities.BackupActivities.BackupRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole-database backup on embedded PostgreSQL with the system's {@code pg_dump} and {@code
 * pg_restore} (Debian's postgresql-client; {@code bin/install-prerequisites --tests} installs it).
 */
class DatabaseDumpTest {

  private static final String ROTATION = "r1";
  private static final String DUMP_ID = ROTATION + "/ai-snapshots.pgdump";

  @TempDir Path backups;
  @TempDir Path noTools;
  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("ai-payload-encryption-key", "v1");
  private final BackupKeys backupKeys = BackupBench.ownBackupKey();
  private TestPostgres.Database database;
  private SnapshotTable table;

  @BeforeEach
  void seed() {
    assertThat(PgTools.find(new DatabaseDumpConfig(null, null)))
        .as("pg_dump and pg_restore on the PATH: bin/install-prerequisites --tests installs them")
        .isPresent();
    database = TestPostgres.newDatabase();
    table = new SnapshotTable(database, keyring);
    table.seed(50, v1);
    database
        .jdbi()
        .useHandle(
            h -> {
              h.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)");
              h.execute(
                  "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 7) g");
            });
  }

  @Test
  void theBackup_dumpsTheWholeDatabase_encryptedAndChecksummed_andProvesItByARestore()
      throws Exception {
    BackupRecord record = backup(new DatabaseDumpConfig(null, null));

    Path dump = backups.resolve(ROTATION).resolve("ai-snapshots.pgdump.bgbak");
    assertThat(record.databaseDump())
        .contains("whole-database dump of app", dump.toString(), "sha256 " + Sha256.of(dump))
        .contains(
            "restored into a scratch database with matching row counts {ai_json_snapshots=50}");
    assertThat(Files.readString(dump.resolveSibling("ai-snapshots.pgdump.bgbak.sha256")))
        .isEqualTo(Sha256.of(dump) + "  ai-snapshots.pgdump.bgbak\n");
    // Nothing in the folder is a plaintext dump (custom format starts with PGDMP)...
    try (Stream<Path> files = Files.walk(backups)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
            .as(file.toString())
            .doesNotContain("PGDMP")
            .doesNotContain("customer 7");
      }
    }
    // ...but the dump decrypts under the backup key to the whole database, not only the table.
    String plaintext = decrypted(dump);
    assertThat(plaintext).startsWith("PGDMP").contains("customers").contains("ai_json_snapshots");
    assertThat(scratchDatabases()).as("the scratch database is dropped").isEmpty();
  }

  @Test
  void aCorruptedDump_failsItsChecksum_beforeAnythingIsRestored() throws Exception {
    DatabaseDump dump = new DatabaseDump(tools(), backupKeys);
    PgServer server = PgServer.of(database.dataSource(), null);
    BackupLocation location = BackupLocation.of(backups, DUMP_ID);
    DatabaseDump.Written written =
        dump.dump(
            server,
            List.of("ai_json_snapshots"),
            location.file(),
            location.associatedData(),
            n -> {});
    dump.verify(server, "breakglass_verify_test", written, location.associatedData(), n -> {});

    flipAByteIn(location.file());

    assertThatThrownBy(
            () ->
                dump.verify(
                    server, "breakglass_verify_test", written, location.associatedData(), n -> {}))
        .isInstanceOf(UnusableBackupException.class)
        .hasMessageContaining("sha256")
        .hasMessageContaining("differs from " + written.sha256());
    // With the checksum forged to match, the envelope still refuses the altered segment.
    DatabaseDump.Written forged =
        new DatabaseDump.Written(
            written.file(), written.bytes(), Sha256.of(written.file()), written.rowCounts());
    assertThatThrownBy(
            () ->
                dump.verify(
                    server, "breakglass_verify_test", forged, location.associatedData(), n -> {}))
        .isInstanceOf(EnvelopeException.class);
    assertThat(scratchDatabases()).isEmpty();
  }

  @Test
  void aRestoreWithOtherRowCounts_isRefused() throws Exception {
    DatabaseDump dump = new DatabaseDump(tools(), backupKeys);
    PgServer server = PgServer.of(database.dataSource(), null);
    BackupLocation location = BackupLocation.of(backups, DUMP_ID);
    DatabaseDump.Written written =
        dump.dump(
            server,
            List.of("ai_json_snapshots"),
            location.file(),
            location.associatedData(),
            n -> {});
    DatabaseDump.Written claimsMore =
        new DatabaseDump.Written(
            written.file(), written.bytes(), written.sha256(), Map.of("ai_json_snapshots", 51L));

    assertThatThrownBy(
            () ->
                dump.verify(
                    server,
                    "breakglass_verify_test",
                    claimsMore,
                    location.associatedData(),
                    n -> {}))
        .isInstanceOf(UnusableBackupException.class)
        .hasMessageContaining(
            "restored rows {ai_json_snapshots=50}, the dump's snapshot had {ai_json_snapshots=51}");
  }

  @Test
  void withoutPgDump_theBackupSaysSo_andTheDataSetBackupStillRuns() {
    BackupRecord record = backup(new DatabaseDumpConfig(noTools, null));

    assertThat(record.items()).isEqualTo(50);
    assertThat(record.databaseDump())
        .isEqualTo(
            "whole-database dump of app not taken: pg_dump and pg_restore are not both found in "
                + noTools
                + " (Debian: apt-get install postgresql-client)");
  }

  private BackupRecord backup(DatabaseDumpConfig dump) {
    try (BackupBench bench =
        new BackupBench(
            new BackupConfig(backups, 5, null, dump),
            table.config(v1.secret(), 5_000, 50),
            Map.of("app", database.dataSource()),
            keyring,
            backupKeys,
            null)) {
      return bench.activities.backup(new BackupRequest(ROTATION, "ai-snapshots"));
    }
  }

  private static PgTools tools() {
    return PgTools.find(new DatabaseDumpConfig(null, null)).orElseThrow();
  }

  private String decrypted(Path dump) throws Exception {
    byte[] associatedData = BackupLocation.of(backups, DUMP_ID).associatedData();
    try (InputStream in =
        new DecryptingInputStream(Files.newInputStream(dump), backupKeys, associatedData)) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private List<String> scratchDatabases() {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT datname FROM pg_database WHERE datname LIKE 'breakglass_verify_%'")
                    .mapTo(String.class)
                    .list());
  }

  private static void flipAByteIn(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
  }
}
