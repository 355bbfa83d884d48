package io.breakglass.activities.backup;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.activities.BackupActivities.BackupRecord;
import io.breakglass.workflows.activities.BackupActivities.RestoreResult;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs in a JVM of its own with a small heap, started by {@link BackupMemoryTest}: seeds a table
 * several times larger than that heap, then either backs it up, corrupts some rows and restores
 * them ({@code stream}), or reads the table into memory in one piece ({@code collect}, the negative
 * control). Prints what it did on its last line.
 *
 * <p>Arguments: JDBC URL of an empty database, backup folder, mode, rows.
 */
final class BackupMemoryProbe {

  /** Rows per insert batch while seeding, so seeding itself fits the heap. */
  private static final int SEED_BATCH = 2_000;

  private BackupMemoryProbe() {}

  public static void main(String[] args) throws Exception {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(args[0]);
    dataSource.setUser("postgres");
    Path backups = Path.of(args[1]);
    String mode = args[2];
    int rows = Integer.parseInt(args[3]);

    MapKeyring keyring = new MapKeyring();
    KeyId v1 = keyring.add("ai-payload-encryption-key", "v1");
    TestPostgres.Database database = new TestPostgres.Database("probe", args[0], dataSource);
    SnapshotTable table = new SnapshotTable(database, keyring);
    for (int seeded = 0; seeded < rows; seeded += SEED_BATCH) {
      table.seed(Math.min(SEED_BATCH, rows - seeded), v1);
    }
    // 4 KiB of other columns per row: a backup keeps whole rows.
    database
        .jdbi()
        .useHandle(
            h -> {
              h.execute("ALTER TABLE ai_json_snapshots ADD COLUMN notes text");
              h.execute("UPDATE ai_json_snapshots SET notes = repeat(md5(id::text), 128)");
            });

    if (mode.equals("collect")) {
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      try (Connection connection = dataSource.getConnection()) {
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyOut("COPY (SELECT * FROM ai_json_snapshots ORDER BY id) TO STDOUT", whole);
      }
      System.out.println("collected=" + whole.size());
      return;
    }

    BackupConfig config = new BackupConfig(backups, 20);
    ProtectedDataSet dataSet =
        BackupBench.dataSets(
                config, table.config(v1.secret(), 5_000, 500), Map.of("app", dataSource))
            .get("ai-snapshots");
    BackupKeys keys = BackupBench.ownBackupKey();
    BackupLocation location = BackupLocation.of(backups, "probe/ai-snapshots");
    TableSnapshot format = new TableSnapshot(dataSet, dataSource, keyring);

    BackupRecord record = new DataSetBackup(config, keys).run(dataSet, location, format, n -> {});
    database
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE ai_json_snapshots SET payload = (SELECT payload FROM ai_json_snapshots WHERE id = 1)"
                        + " WHERE id BETWEEN 2 AND 26"));
    RestoreResult result =
        new DataSetRestore(keys, keyring).run(dataSet, location, format, n -> {});

    System.out.println(
        "items="
            + record.items()
            + " bytes="
            + record.bytes()
            + " sampleVerified="
            + record.sampleVerified()
            + " restored="
            + result.restored()
            + " stillUndecryptable="
            + result.stillUndecryptable()
            + " maxHeap="
            + Runtime.getRuntime().maxMemory());
  }
}
