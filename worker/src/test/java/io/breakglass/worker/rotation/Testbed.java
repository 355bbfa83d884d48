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
import io.breakglass.activities.config.S3Location;
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
import io.breakglass.activities.testing.LocalS3;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Everything a rotation touches, real and small: a PostgreSQL database with {@code
 * ai_json_snapshots}, a folder of chart artifacts, the local encrypted secret store, a keyring
 * file for the {@code backend} deployment, backups, and Breakglass's own database. Shards are
 * small so every data set has several. Breakglass reaches the application database as {@value
 * #BREAKGLASS_APPLICATION}, so the database can tell its writes from the application's.
 */
public final class Testbed {

  public static final String ARTIFACT_KEY = "artifact-encryption-key";
  public static final String PAYLOAD_KEY = "ai-payload-encryption-key";
  public static final String JWT = "jwt";
  public static final String SNAPSHOTS = "ai-snapshots";
  public static final String ARTIFACTS = "chart-artifacts";
  public static final String DEPLOYMENT = "backend";
  /** The name the application database in the settings goes by. */
  public static final String APP_DATABASE = "clinic";
  /** The {@code application_name} of Breakglass's connections to the application database. */
  public static final String BREAKGLASS_APPLICATION = "breakglass";
  public static final int ROWS = 300;
  public static final int FILES = 40;
  /** With artifacts in S3: their bucket, which holds the backups too. */
  public static final String S3_BUCKET = "clinic";
  public static final String S3_ARTIFACTS = "charts/";

  /**
   * How the {@code ai-snapshots} data set is re-encrypted (see {@code DataSetConfig}).
   *
   * @param heartbeatTimeout null for the default
   */
  public record Reencryption(
      int shardSize, int batchSize, int concurrency, int itemsPerSecond, Duration heartbeatTimeout) {

    /** Shards of 100, batches of 25, two shards at once, no rate limit. */
    public static final Reencryption SMALL_SHARDS = new Reencryption(100, 25, 2, 0, null);
  }

  public final Path root;
  public final RotationSettings settings;
  public final SecretStore store;
  public final TestPostgres.Database app = TestPostgres.newDatabase();
  public final TestPostgres.Database breakglass = TestPostgres.newDatabase();
  public final BreakglassActivities activities;
  private final Map<String, String> initialVersions = new LinkedHashMap<>();

  public Testbed(Path root) {
    this(root, DeploymentTargetType.MANUAL);
  }

  /** A testbed whose {@code backend} deployment has {@code target}. */
  public Testbed(Path root, DeploymentTargetType target) {
    this(root, target, Reencryption.SMALL_SHARDS);
  }

  /** A testbed whose deployment has {@code target} and whose snapshots re-encrypt as {@code snapshots} says. */
  public Testbed(Path root, DeploymentTargetType target, Reencryption snapshots) {
    this(root, target, snapshots, null);
  }

  /**
   * A testbed whose chart artifacts are objects in {@code s3} (bucket {@value #S3_BUCKET}, the
   * same keys as the files) and whose backups are kept there too.
   */
  public Testbed(Path root, LocalS3 s3) {
    this(root, DeploymentTargetType.MANUAL, Reencryption.SMALL_SHARDS, s3);
  }

  private Testbed(Path root, DeploymentTargetType target, Reencryption snapshots, LocalS3 s3) {
    this.root = root;
    try {
      Files.createDirectories(root.resolve("artifacts"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    settings = settings(root, target, snapshots, s3);
    store = new LocalSecretStore(root.resolve("secrets.store"), MasterKey.createFile(root.resolve("master.key")));
    for (String secret : List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT)) {
      initialVersions.put(secret, initialise(secret, secret.equals(JWT) ? 64 : 32));
    }
    DemoData demo = new DemoData(new StoreKeyring(store));
    demo.seedSnapshots(app.dataSource(), ROWS, currentKey(PAYLOAD_KEY));
    demo.seedArtifacts(root.resolve("artifacts"), FILES, 4_096, currentKey(ARTIFACT_KEY));
    if (s3 != null) {
      uploadArtifacts(s3);
    }
    BreakglassSchema.migrate(breakglass.dataSource());
    activities =
        BreakglassActivities.create(
            settings, store, Map.of(APP_DATABASE, appDataSource()), breakglass.jdbi(), "testbed-worker");
  }

  /** The application database as Breakglass reaches it: as {@value #BREAKGLASS_APPLICATION}. */
  public DataSource appDataSource() {
    return app.dataSource(BREAKGLASS_APPLICATION);
  }

  /** The files, as objects under the same keys: OBJECT_PATH binds both to that relative path. */
  private void uploadArtifacts(LocalS3 s3) {
    s3.createBucket(S3_BUCKET);
    Path folder = root.resolve("artifacts");
    try (S3Client client = s3.client();
        Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String key = folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        client.putObject(
            PutObjectRequest.builder().bucket(S3_BUCKET).key(S3_ARTIFACTS + key).build(), RequestBody.fromFile(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RotationSettings settings(
      Path root, DeploymentTargetType target, Reencryption snapshots, LocalS3 s3) {
    DataSetConfig artifacts =
        s3 == null
            ? new DataSetConfig(ARTIFACTS, ARTIFACT_KEY, DataSetType.ARTIFACT_DIRECTORY, null, null,
                null, null, null, root.resolve("artifacts"), AssociatedDataMode.OBJECT_PATH, 15, 5, 2, 0, null)
            : new DataSetConfig(ARTIFACTS, ARTIFACT_KEY, DataSetType.S3_OBJECTS, null, null, null, null, null,
                null, AssociatedDataMode.OBJECT_PATH, 15, 5, 2, 0, null, new S3Location(S3_BUCKET, S3_ARTIFACTS));
    BackupConfig backups =
        new BackupConfig(root.resolve("backups"), 10, s3 == null ? null : new S3Location(S3_BUCKET, "backups/"));
    return new RotationSettings(
        new LocalSecretStoreConfig(root.resolve("secrets.store"), null, root.resolve("master.key")),
        List.of(
            new SecretConfig(ARTIFACT_KEY, SecretKind.DATA_KEY),
            new SecretConfig(PAYLOAD_KEY, SecretKind.DATA_KEY),
            new SecretConfig(JWT, SecretKind.SIGNING_SECRET)),
        List.of(
            new DataSetConfig(SNAPSHOTS, PAYLOAD_KEY, DataSetType.POSTGRES_COLUMN, APP_DATABASE,
                "ai_json_snapshots", "id", "payload", EnvelopeFormat.JSON, null,
                AssociatedDataMode.ROW_ID, snapshots.shardSize(), snapshots.batchSize(),
                snapshots.concurrency(), snapshots.itemsPerSecond(), snapshots.heartbeatTimeout()),
            artifacts),
        List.of(
            new DeploymentConfig(DEPLOYMENT, target,
                List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT), root.resolve("keyrings/backend.json"))),
        PolicyConfig.defaults(),
        backups,
        NotificationConfig.logOnly(),
        s3 == null ? null : s3.aws());
  }

  private String initialise(String secret, int bytes) {
    return LocalStores.initialise(store, secret, bytes);
  }

  /** The version each secret had before any rotation. */
  public String initialVersion(String secret) {
    return initialVersions.get(secret);
  }

  /**
   * A new PENDING version of data key {@code secret} (32 fresh random bytes), as CREATE_VERSION makes
   * one, for tests that re-encrypt without a rotation; returns its key id.
   */
  public KeyId newPendingVersion(String secret) {
    byte[] material = new byte[32];
    new SecureRandom().nextBytes(material);
    String versionId = "pending-" + UUID.randomUUID();
    store.createPending(secret, versionId, material, Map.of());
    return new KeyId(secret, versionId);
  }

  public KeyId currentKey(String secret) {
    return new KeyId(secret, current(secret).versionId());
  }

  public SecretVersion current(String secret) {
    return state(secret).labelled(Label.CURRENT).orElseThrow();
  }

  public SecretState state(String secret) {
    return store.describe(secret);
  }

  /** A full scan of a data set with a fresh keyring. */
  public ScanReport scan(String dataSet) {
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
  public Map<String, String> plaintextDigests() {
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
