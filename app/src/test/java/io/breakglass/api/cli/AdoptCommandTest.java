package io.breakglass.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretEncoding;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.secrets.AdoptedVersion;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.RoutedSecretStore;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.testing.ArtifactFolder;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.api.CommandRun;
import io.breakglass.workflows.messages.values.SecretKind;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code adopt}, run in-process from a configuration file on a real PostgreSQL table and folder and
 * the local store: an application's key, kept as base64 text and not yet CURRENT, is scanned
 * against, then recorded as Breakglass's first version (CURRENT, {@code version=1}, {@code
 * rotationId=adopted}) with no new version and its value untouched. {@code --dry-run} records
 * nothing. The negative control: one corrupted row is listed by id (never content), the exit code
 * says so, and nothing is recorded.
 */
class AdoptCommandTest {

  private static final String KEY = "ai-payload-encryption-key";
  private static final String APP_VERSION = "app-key-2024";
  private static final int ROWS = 120;

  @TempDir Path folder;
  private TestPostgres.Database database;
  private LocalSecretStore local;
  private byte[] key;
  private SnapshotTable table;
  private Path config;

  @BeforeEach
  void anApplicationWithItsOwnKeyAndData() throws Exception {
    database = TestPostgres.newDatabase();
    local =
        new LocalSecretStore(
            folder.resolve("secrets.store"), MasterKey.createFile(folder.resolve("master.key")));
    key = new byte[32];
    new SecureRandom().nextBytes(key);
    // As the application's runbook keeps it: base64 text, one version, which nobody made CURRENT.
    local.createPending(KEY, APP_VERSION, Base64.getEncoder().encode(key), Map.of());
    KeyId appKey = new KeyId(KEY, APP_VERSION);
    SecretStore asBase64 =
        RoutedSecretStore.of(
            new RotationSettings(
                new LocalSecretStoreConfig(
                    folder.resolve("secrets.store"), null, folder.resolve("master.key")),
                List.of(
                    new SecretConfig(KEY, SecretKind.DATA_KEY)
                        .withEncoding(SecretEncoding.BASE64, null)),
                null,
                null,
                null,
                new BackupConfig(folder.resolve("backups"), 0),
                null),
            () -> local,
            () -> null);
    table = new SnapshotTable(database, new StoreKeyring(asBase64));
    table.seed(ROWS, appKey);
    new ArtifactFolder(folder.resolve("charts"), new StoreKeyring(asBase64)).seed(12, appKey);
    config = writeConfiguration();
  }

  @Test
  void adopt_scansEveryItemWithTheApplicationsKey_andRecordsItAsBreakglassesFirstVersion()
      throws Exception {
    byte[] storedBefore = local.material(KEY, APP_VERSION);

    CommandRun run = adopt();

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains(KEY + ": version " + APP_VERSION + " (the only active version), encoding BASE64")
        .contains("ai-snapshots: scanning " + ROWS + " item(s)")
        .contains("[##############################]    120/120 (100%)")
        .contains("     120 decrypt with " + KEY + ":" + APP_VERSION)
        .contains("      12 decrypt with " + KEY + ":" + APP_VERSION)
        .contains("recorded as Breakglass's first, CURRENT");
    List<SecretVersion> versions = local.describe(KEY).versions();
    assertThat(versions).hasSize(1);
    assertThat(versions.get(0).labels()).containsExactly(Label.CURRENT);
    assertThat(versions.get(0).metadata())
        .containsEntry("version", "1")
        .containsEntry("rotationId", AdoptedVersion.ROTATION_ID)
        .containsEntry("rotatedAt", versions.get(0).createdAt().toString())
        .containsKey("adoptedAt");
    assertThat(local.material(KEY, APP_VERSION))
        .as("the value stays base64 text")
        .isEqualTo(storedBefore);

    CommandRun again = adopt();
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("already Breakglass's, nothing to record");
  }

  @Test
  void dryRun_scansButRecordsNothing() throws Exception {
    CommandRun run = adopt("--dry-run");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("every item decrypts; dry run, nothing recorded");
    SecretVersion version = local.describe(KEY).versions().get(0);
    assertThat(version.labels()).containsExactly(Label.PENDING);
    assertThat(version.metadata()).doesNotContainKey("rotationId");
  }

  @Test
  void negativeControl_aCorruptedRow_isListedByIdOnly_theExitCodeSaysSo_andNothingIsRecorded()
      throws Exception {
    table.storeRaw(
        42, table.raw().get(43L)); // row 43's envelope: well-formed, bound to another row

    CommandRun run = adopt();

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(Adoption.UNDECRYPTABLE);
    assertThat(run.out())
        .contains("     119 decrypt with " + KEY + ":" + APP_VERSION)
        .contains("       1 do not")
        .contains("      42: AUTHENTICATION_FAILED")
        .contains("1 item(s) do not decrypt with version " + APP_VERSION + "; nothing recorded")
        .doesNotContain("synthetic note");
    assertThat(local.describe(KEY).versions().get(0).metadata()).doesNotContainKey("rotationId");
  }

  @Test
  void negativeControl_theSameKeyConfiguredRaw_decryptsNothing_asItReadsAs44Bytes()
      throws Exception {
    Files.writeString(
        config, Files.readString(config).replace("encoding: BASE64", "encoding: RAW"));

    CommandRun run = adopt();

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(Adoption.UNDECRYPTABLE);
    assertThat(run.out()).contains("       0 decrypt with").contains("1: UNKNOWN_KEY_ID");
  }

  private Path writeConfiguration() throws Exception {
    String yaml =
        """
        databases:
          clinic:
            driverClass: org.postgresql.Driver
            url: %s
            user: postgres
        rotation:
          secretStore:
            path: %s
            masterKeyFile: %s
          secrets:
            - {name: %s, kind: DATA_KEY, encoding: BASE64}
          dataSets:
            - {name: ai-snapshots, secret: %s, type: POSTGRES_COLUMN, database: clinic,
               table: ai_json_snapshots, column: payload, format: JSON, associatedData: ROW_ID}
            - {name: chart-artifacts, secret: %s, type: ARTIFACT_DIRECTORY, directory: %s,
               associatedData: OBJECT_PATH}
          backups: {directory: %s}
          approvals: {allowUnsigned: true}
        """
            .formatted(
                database.url(),
                folder.resolve("secrets.store"),
                folder.resolve("master.key"),
                KEY,
                KEY,
                KEY,
                folder.resolve("charts"),
                folder.resolve("backups"));
    return Files.writeString(folder.resolve("breakglass.yml"), yaml);
  }

  private CommandRun adopt(String... options) {
    List<String> arguments = new ArrayList<>(List.of("adopt"));
    arguments.addAll(List.of(options));
    arguments.add(config.toString());
    return CommandRun.of(
        new FileConfigurationSourceProvider(), AdoptCommand::new, arguments.toArray(String[]::new));
  }
}
