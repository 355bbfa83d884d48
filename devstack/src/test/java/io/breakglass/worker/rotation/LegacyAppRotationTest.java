package io.breakglass.worker.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.EnvelopeFormat;
import io.breakglass.activities.config.FormatProfile;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.NotificationConfig;
import io.breakglass.activities.config.PolicyConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretSmokeConfig;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.worker.BreakglassActivities;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DataSetType;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.SecretKind;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application Breakglass did not write: the Python program in {@code samples/legacy-app} keeps
 * notes in a table and a folder in its own AES-GCM JSON envelope, which names no key. Breakglass
 * takes both data sets in that profile, rotates the key on the embedded stack, and the program
 * still reads every item with the new key alone.
 */
class LegacyAppRotationTest {

  static final String SECRET = "notes-key";
  static final int NOTES = 20;

  /** The table's envelope: base64, the tag in a field of its own, bound to the row id. */
  static final FormatProfile TABLE_PROFILE =
      new FormatProfile(
          FormatProfile.Kind.APPLICATION_JSON,
          "data",
          "iv",
          "tag",
          null,
          FormatProfile.Encoding.BASE64,
          Map.of("scheme", "notes-aesgcm"),
          null);

  /** The folder's: the same fields in hex, bound to the file's relative path. */
  static final FormatProfile FOLDER_PROFILE =
      new FormatProfile(
          FormatProfile.Kind.APPLICATION_JSON,
          "data",
          "iv",
          "tag",
          null,
          FormatProfile.Encoding.HEX,
          Map.of("scheme", "notes-aesgcm"),
          null);

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void notesWrittenByThePythonApp_areRotatedInItsOwnFormat_andItReadsThemWithTheNewKeyAlone(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    SecretStore store =
        new LocalSecretStore(
            root.resolve("secrets.store"), MasterKey.createFile(root.resolve("master.key")));
    String k1Version = LocalStores.initialise(store, SECRET, 32);
    byte[] k1 = store.material(SECRET, k1Version);
    TestPostgres.Database app = TestPostgres.newDatabase();
    Path folder = Files.createDirectories(root.resolve("notes"));
    LegacyApp legacy =
        new LegacyApp(
            "host=localhost port="
                + TestPostgres.port()
                + " dbname="
                + app.name()
                + " user=postgres",
            "legacy_notes",
            folder);
    LegacyApp.Run written = legacy.write(NOTES, k1);
    assertThat(written.exitCode()).as(written.err()).isZero();

    TestPostgres.Database breakglass = TestPostgres.newDatabase();
    BreakglassSchema.migrate(breakglass.dataSource());
    BreakglassActivities activities =
        BreakglassActivities.create(
            settings(),
            store,
            Map.of("notes", app.dataSource()),
            breakglass.jdbi(),
            "legacy-worker");

    String k1Id = SECRET + ":" + k1Version;
    assertThat(scan(activities, store, "notes-table").itemsByKeyId())
        .isEqualTo(Map.of(k1Id, (long) NOTES));
    assertThat(scan(activities, store, "notes-folder").itemsByKeyId())
        .isEqualTo(Map.of(k1Id, (long) NOTES));

    worker.registerActivitiesImplementations(activities.activities().toArray());
    env.start();
    RotationTests.start(client, options, RotationTests.emergency("legacy-1", SECRET));
    AtomicReference<LegacyApp.Run> beforeRevoke = new AtomicReference<>();
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "legacy-1")
            .approves(GateName.PROCEED, "bob")
            .whenOpen(
                GateName.REVOKE,
                () ->
                    beforeRevoke.set(
                        // as the application runs while both keys must decrypt: the new one, then
                        // the old
                        legacy.read(
                            store.material(
                                SECRET,
                                store
                                    .describe(SECRET)
                                    .labelled(Label.CURRENT)
                                    .orElseThrow()
                                    .versionId()),
                            k1)))
            .approves(GateName.REVOKE, "carol")
            .start()) {
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(beforeRevoke.get().exitCode())
        .as("during the rotation: " + beforeRevoke.get().err())
        .isZero();
    String k2Version = store.describe(SECRET).labelled(Label.CURRENT).orElseThrow().versionId();
    assertThat(k2Version).isEqualTo(VersionIds.forRotation("legacy-1", SECRET));
    String k2Id = SECRET + ":" + k2Version;
    assertThat(scan(activities, store, "notes-table").itemsByKeyId())
        .isEqualTo(Map.of(k2Id, (long) NOTES));
    assertThat(scan(activities, store, "notes-folder").itemsByKeyId())
        .isEqualTo(Map.of(k2Id, (long) NOTES));
    assertThat(Files.readString(folder.resolve("notes/0001.json")))
        .startsWith("{\"scheme\":\"notes-aesgcm\",\"iv\":\"");

    byte[] k2 = store.material(SECRET, k2Version);
    LegacyApp.Run afterwards = legacy.read(k2, null);
    assertThat(afterwards.exitCode()).as(afterwards.err()).isZero();
    assertThat(afterwards.out()).contains("read 20 rows and 20 files; 0 cannot be read");

    LegacyApp.Run withTheOldKey = legacy.read(k1, null);
    assertThat(withTheOldKey.exitCode()).as("the old key reads nothing any more").isEqualTo(1);
    assertThat(withTheOldKey.err().lines().toList())
        .hasSize(2 * NOTES)
        .contains("row 1: no key decrypts it", "file notes/0020.json: no key decrypts it");
  }

  private RotationSettings settings() {
    SecretConfig secret =
        new SecretConfig(SECRET, SecretKind.DATA_KEY)
            .withSmoke(
                SecretSmokeConfig.allowNoChecks("the legacy app is checked by the test itself"));
    DataSetConfig table =
        new DataSetConfig(
                "notes-table",
                SECRET,
                DataSetType.POSTGRES_COLUMN,
                "notes",
                "legacy_notes",
                "id",
                "payload",
                EnvelopeFormat.JSON,
                null,
                AssociatedDataMode.ROW_ID,
                8,
                4,
                2,
                0,
                null)
            .withProfile(TABLE_PROFILE);
    DataSetConfig files =
        new DataSetConfig(
                "notes-folder",
                SECRET,
                DataSetType.ARTIFACT_DIRECTORY,
                null,
                null,
                null,
                null,
                null,
                root.resolve("notes"),
                AssociatedDataMode.OBJECT_PATH,
                8,
                4,
                2,
                0,
                null)
            .withProfile(FOLDER_PROFILE);
    return new RotationSettings(
        new LocalSecretStoreConfig(root.resolve("secrets.store"), null, root.resolve("master.key")),
        List.of(secret),
        List.of(table, files),
        List.of(
            new DeploymentConfig(
                "legacy-app",
                DeploymentTargetType.MANUAL,
                List.of(SECRET),
                root.resolve("keyrings/legacy-app.json"))),
        PolicyConfig.defaults().withMonitoringInterval(Testbed.MONITORING_INTERVAL),
        new BackupConfig(root.resolve("backups"), 10, null),
        NotificationConfig.logOnly());
  }

  private static ScanReport scan(
      BreakglassActivities activities, SecretStore store, String dataSet) {
    ProtectedDataSet data = activities.dataSets().get(dataSet);
    return new DataSetScanner(dataSet, data.store(), data.codec(), new StoreKeyring(store))
        .scan(10, n -> {});
  }
}
