package io.breakglass.worker.rotation;

import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.EnvelopeFormat;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.NotificationConfig;
import io.breakglass.activities.config.PolicyConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.SecretState;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.values.DataSetType;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.SecretKind;
import io.breakglass.worker.BreakglassActivities;
import io.breakglass.worker.dev.DemoData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Everything a rotation touches, real and small: a PostgreSQL database with {@code
 * ai_json_snapshots}, a folder of chart artifacts, the local encrypted secret store, a keyring
 * file for the {@code backend} deployment, backups, and Breakglass's own database. Shards are
 * small so every data set has several.
 */
final class Testbed {

  static final String ARTIFACT_KEY = "artifact-encryption-key";
  static final String PAYLOAD_KEY = "ai-payload-encryption-key";
  static final String JWT = "jwt";
  static final String SNAPSHOTS = "ai-snapshots";
  static final String ARTIFACTS = "chart-artifacts";
  static final String DEPLOYMENT = "backend";
  static final int ROWS = 300;
  static final int FILES = 40;

  final Path root;
  final RotationSettings settings;
  final SecretStore store;
  final TestPostgres.Database app = TestPostgres.newDatabase();
  final TestPostgres.Database breakglass = TestPostgres.newDatabase();
  final BreakglassActivities activities;
  private final Map<String, String> initialVersions = new LinkedHashMap<>();

  Testbed(Path root) {
    this(root, DeploymentTargetType.MANUAL);
  }

  /** A testbed whose {@code backend} deployment has {@code target}. */
  Testbed(Path root, DeploymentTargetType target) {
    this.root = root;
    try {
      Files.createDirectories(root.resolve("artifacts"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    settings = settings(root, target);
    store = new LocalSecretStore(root.resolve("secrets.store"), MasterKey.createFile(root.resolve("master.key")));
    for (String secret : List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT)) {
      initialVersions.put(secret, initialise(secret, secret.equals(JWT) ? 64 : 32));
    }
    DemoData demo = new DemoData(new StoreKeyring(store));
    demo.seedSnapshots(app.dataSource(), ROWS, currentKey(PAYLOAD_KEY));
    demo.seedArtifacts(root.resolve("artifacts"), FILES, 4_096, currentKey(ARTIFACT_KEY));
    BreakglassSchema.migrate(breakglass.dataSource());
    activities =
        BreakglassActivities.create(
            settings, store, Map.of("clinic", app.dataSource()), breakglass.jdbi(), "testbed-worker");
  }

  private static RotationSettings settings(Path root, DeploymentTargetType target) {
    return new RotationSettings(
        new LocalSecretStoreConfig(root.resolve("secrets.store"), null, root.resolve("master.key")),
        List.of(
            new SecretConfig(ARTIFACT_KEY, SecretKind.DATA_KEY),
            new SecretConfig(PAYLOAD_KEY, SecretKind.DATA_KEY),
            new SecretConfig(JWT, SecretKind.SIGNING_SECRET)),
        List.of(
            new DataSetConfig(SNAPSHOTS, PAYLOAD_KEY, DataSetType.POSTGRES_COLUMN, "clinic",
                "ai_json_snapshots", "id", "payload", EnvelopeFormat.JSON, null,
                AssociatedDataMode.ROW_ID, 100, 25, 2, 0, null),
            new DataSetConfig(ARTIFACTS, ARTIFACT_KEY, DataSetType.ARTIFACT_DIRECTORY, null, null,
                null, null, null, root.resolve("artifacts"), AssociatedDataMode.OBJECT_PATH, 15, 5, 2, 0, null)),
        List.of(
            new DeploymentConfig(DEPLOYMENT, target,
                List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT), root.resolve("keyrings/backend.json"))),
        PolicyConfig.defaults(),
        new BackupConfig(root.resolve("backups"), 10),
        NotificationConfig.logOnly());
  }

  private String initialise(String secret, int bytes) {
    return LocalStores.initialise(store, secret, bytes);
  }

  /** The version each secret had before any rotation. */
  String initialVersion(String secret) {
    return initialVersions.get(secret);
  }

  KeyId currentKey(String secret) {
    return new KeyId(secret, current(secret).versionId());
  }

  SecretVersion current(String secret) {
    return state(secret).labelled(Label.CURRENT).orElseThrow();
  }

  SecretState state(String secret) {
    return store.describe(secret);
  }

  /** A full scan of a data set with a fresh keyring. */
  ScanReport scan(String dataSet) {
    ProtectedDataSet protectedDataSet = activities.dataSets().get(dataSet);
    return new DataSetScanner(dataSet, protectedDataSet.store(), protectedDataSet.codec(), new StoreKeyring(store))
        .scan(100, n -> {});
  }

  /** The published keyring file, or empty when nothing was published. */
  String keyringFile() {
    Path file = root.resolve("keyrings/backend.json");
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decrypted content of every protected item, per data set and key: equal before and after. */
  Map<String, String> plaintextDigests() {
    Map<String, String> digests = new TreeMap<>();
    for (String dataSet : List.of(SNAPSHOTS, ARTIFACTS)) {
      digests.put(dataSet, PlaintextDigest.of(activities.dataSets().get(dataSet), new StoreKeyring(store)));
    }
    return digests;
  }

  RotationHistory history() {
    return new RotationHistory(breakglass.jdbi());
  }

  Jdbi appJdbi() {
    return app.jdbi();
  }

  List<String> allSecrets() {
    return new ArrayList<>(initialVersions.keySet());
  }
}
