package io.breakglass.worker.rotation;

import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.EnvelopeFormat;
import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.KubernetesTarget;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.activities.config.NotificationConfig;
import io.breakglass.activities.config.PolicyConfig;
import io.breakglass.activities.config.ReloadEndpointTarget;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.S3Location;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretSmokeConfig;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.RoutedSecretStore;
import io.breakglass.activities.secrets.SecretState;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.secrets.aws.AwsSecretsManagerStore;
import io.breakglass.activities.testing.FakeSecretsManager;
import io.breakglass.activities.testing.FakeVault;
import io.breakglass.activities.testing.KubernetesWorkload;
import io.breakglass.activities.testing.LocalS3;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.worker.BreakglassActivities;
import io.breakglass.worker.dev.DemoData;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.values.DataSetType;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.SecretKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
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
 * ai_json_snapshots}, a folder of chart artifacts, the local encrypted secret store, a keyring file
 * for the {@code backend} deployment, backups, and Breakglass's own database. Shards are small so
 * every data set has several. Breakglass reaches the application database as {@value
 * #BREAKGLASS_APPLICATION}, so the database can tell its writes from the application's.
 */
public final class Testbed {

  public static final String ARTIFACT_KEY = "artifact-encryption-key";
  public static final String PAYLOAD_KEY = "ai-payload-encryption-key";
  public static final String JWT = "jwt";

  /** The Secrets Manager name of {@value #ARTIFACT_KEY} in a testbed that keeps it there. */
  public static final String ARTIFACT_KEY_AWS_ID = "prod/artifact-encryption-key";

  public static final String SNAPSHOTS = "ai-snapshots";
  public static final String ARTIFACTS = "chart-artifacts";
  public static final String DEPLOYMENT = "backend";

  /**
   * How long the testbed's deployment must run stable before the revoke gate opens: short, so the
   * tests' rotations do not wait for the production default; StabilityWaitTest checks it holds.
   */
  public static final Duration MONITORING_INTERVAL = Duration.ofSeconds(1);

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
      int shardSize,
      int batchSize,
      int concurrency,
      int itemsPerSecond,
      Duration heartbeatTimeout) {

    /** Shards of 100, batches of 25, two shards at once, no rate limit. */
    public static final Reencryption SMALL_SHARDS = new Reencryption(100, 25, 2, 0, null);
  }

  /**
   * What differs between testbeds.
   *
   * @param target the {@code backend} deployment's target
   * @param snapshots how {@code ai-snapshots} is re-encrypted
   * @param metricWatch METRIC_WATCH's analysis, or null to skip it
   * @param reload for RELOAD_ENDPOINT: the sample service's endpoint
   * @param environment what reload targets read their token variables from
   * @param smokeChecks HTTP smoke checks
   * @param secretsManager where {@value #ARTIFACT_KEY} is kept, or null for the local store
   * @param s3 where the chart artifacts and backups are kept, or null for folders
   */
  public record Options(
      DeploymentTargetType target,
      Reencryption snapshots,
      MetricWatchConfig metricWatch,
      ReloadEndpointTarget reload,
      Map<String, String> environment,
      List<HttpCheckConfig> smokeChecks,
      FakeSecretsManager secretsManager,
      LocalS3 s3) {

    /** A manual deployment, small shards, no metric watch, no HTTP checks. */
    public static final Options DEFAULTS =
        new Options(
            DeploymentTargetType.MANUAL,
            Reencryption.SMALL_SHARDS,
            null,
            null,
            Map.of(),
            List.of(),
            null,
            null);

    public Options target(DeploymentTargetType target) {
      return new Options(
          target, snapshots, metricWatch, reload, environment, smokeChecks, secretsManager, s3);
    }

    public Options snapshots(Reencryption snapshots) {
      return new Options(
          target, snapshots, metricWatch, reload, environment, smokeChecks, secretsManager, s3);
    }

    public Options metricWatch(MetricWatchConfig metricWatch) {
      return new Options(
          target, snapshots, metricWatch, reload, environment, smokeChecks, secretsManager, s3);
    }

    /** A RELOAD_ENDPOINT deployment reached through {@code reload}. */
    public Options reload(ReloadEndpointTarget reload, Map<String, String> environment) {
      return new Options(
          DeploymentTargetType.RELOAD_ENDPOINT,
          snapshots,
          metricWatch,
          reload,
          environment,
          smokeChecks,
          secretsManager,
          s3);
    }

    public Options smokeChecks(List<HttpCheckConfig> smokeChecks) {
      return new Options(
          target, snapshots, metricWatch, reload, environment, smokeChecks, secretsManager, s3);
    }

    public Options secretsManager(FakeSecretsManager secretsManager) {
      return new Options(
          target, snapshots, metricWatch, reload, environment, smokeChecks, secretsManager, s3);
    }

    public Options s3(LocalS3 s3) {
      return new Options(
          target, snapshots, metricWatch, reload, environment, smokeChecks, secretsManager, s3);
    }
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

  /**
   * A testbed whose deployment has {@code target} and whose snapshots re-encrypt as {@code
   * snapshots} says.
   */
  public Testbed(Path root, DeploymentTargetType target, Reencryption snapshots) {
    this(root, Options.DEFAULTS.target(target).snapshots(snapshots));
  }

  /** A testbed with a manual deployment whose METRIC_WATCH runs {@code metricWatch}. */
  public Testbed(Path root, MetricWatchConfig metricWatch) {
    this(root, Options.DEFAULTS.metricWatch(metricWatch));
  }

  /**
   * A testbed whose {@code backend} deployment is reached through {@code reload} (a sample service
   * the test starts once the testbed exists), the token variable read from {@code environment}.
   */
  public Testbed(
      Path root,
      ReloadEndpointTarget reload,
      Map<String, String> environment,
      List<HttpCheckConfig> smokeChecks) {
    this(root, Options.DEFAULTS.reload(reload, environment).smokeChecks(smokeChecks));
  }

  /**
   * A testbed that keeps {@value #ARTIFACT_KEY} in {@code secretsManager} (as {@value
   * #ARTIFACT_KEY_AWS_ID}) and the other secrets in the local store.
   */
  public Testbed(Path root, FakeSecretsManager secretsManager) {
    this(root, Options.DEFAULTS.secretsManager(secretsManager));
  }

  /**
   * A testbed whose chart artifacts are objects in {@code s3} (bucket {@value #S3_BUCKET}, the same
   * keys as the files) and whose backups are kept there too.
   */
  public Testbed(Path root, LocalS3 s3) {
    this(root, Options.DEFAULTS.s3(s3));
  }

  /** A testbed as {@code options} say. */
  public Testbed(Path root, Options options) {
    this(root, options, null);
  }

  /**
   * A testbed that keeps {@value #ARTIFACT_KEY} in {@code vault} (at {@value #ARTIFACT_KEY_AWS_ID})
   * and the other secrets in the local store.
   */
  public Testbed(Path root, FakeVault vault) {
    this(root, Options.DEFAULTS, vault);
  }

  private Testbed(Path root, Options options, FakeVault vault) {
    this.root = root;
    try {
      Files.createDirectories(root.resolve("artifacts"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FakeSecretsManager secretsManager = options.secretsManager();
    LocalS3 s3 = options.s3();
    settings =
        vault == null
            ? settings(root, options)
            : withArtifactKeyInVault(settings(root, options), root, vault);
    SecretStore local =
        new LocalSecretStore(
            root.resolve("secrets.store"), MasterKey.createFile(root.resolve("master.key")));
    store =
        secretsManager == null && vault == null
            ? local
            : RoutedSecretStore.of(
                settings,
                () -> local,
                () ->
                    new AwsSecretsManagerStore(
                        secretsManager.client(), settings.secrets(), Clock.systemUTC()));
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
            settings,
            store,
            Map.of(APP_DATABASE, appDataSource()),
            breakglass.jdbi(),
            "testbed-worker",
            options.environment()::get);
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
        String key =
            folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        client.putObject(
            PutObjectRequest.builder().bucket(S3_BUCKET).key(S3_ARTIFACTS + key).build(),
            RequestBody.fromFile(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RotationSettings withArtifactKeyInVault(
      RotationSettings settings, Path root, FakeVault vault) {
    return new RotationSettings(
            settings.secretStore(),
            settings.secrets().stream()
                .map(
                    s ->
                        !s.name().equals(ARTIFACT_KEY)
                            ? s
                            : new SecretConfig(
                                s.name(), s.kind(), SecretStoreType.VAULT, null, null, s.smoke()))
                .toList(),
            settings.dataSets(),
            settings.deployments(),
            settings.policy(),
            settings.backups(),
            settings.notifications(),
            settings.aws(),
            settings.metricWatch(),
            settings.smokeChecks())
        .withVault(
            vault.config(root.resolve("vault-token"), Map.of(ARTIFACT_KEY, ARTIFACT_KEY_AWS_ID)));
  }

  private static RotationSettings settings(Path root, Options options) {
    Reencryption snapshots = options.snapshots();
    DeploymentTargetType target = options.target();
    LocalS3 s3 = options.s3();
    DataSetConfig artifacts =
        s3 == null
            ? new DataSetConfig(
                ARTIFACTS,
                ARTIFACT_KEY,
                DataSetType.ARTIFACT_DIRECTORY,
                null,
                null,
                null,
                null,
                null,
                root.resolve("artifacts"),
                AssociatedDataMode.OBJECT_PATH,
                15,
                5,
                2,
                0,
                null)
            : new DataSetConfig(
                ARTIFACTS,
                ARTIFACT_KEY,
                DataSetType.S3_OBJECTS,
                null,
                null,
                null,
                null,
                null,
                null,
                AssociatedDataMode.OBJECT_PATH,
                15,
                5,
                2,
                0,
                null,
                new S3Location(S3_BUCKET, S3_ARTIFACTS));
    BackupConfig backups =
        new BackupConfig(
            root.resolve("backups"), 10, s3 == null ? null : new S3Location(S3_BUCKET, "backups/"));
    FakeSecretsManager secretsManager = options.secretsManager();
    AwsConfig aws =
        secretsManager == null && s3 == null
            ? null
            : new AwsConfig(
                s3 != null ? s3.aws().region() : secretsManager.config().region(),
                secretsManager == null ? null : secretsManager.config().secretsManagerEndpoint(),
                s3 == null ? null : s3.aws().s3Endpoint(),
                s3 != null);
    return new RotationSettings(
        new LocalSecretStoreConfig(root.resolve("secrets.store"), null, root.resolve("master.key")),
        allowedWithoutSmokeChecks(
            List.of(
                aws == null
                    ? new SecretConfig(ARTIFACT_KEY, SecretKind.DATA_KEY)
                    : new SecretConfig(
                        ARTIFACT_KEY,
                        SecretKind.DATA_KEY,
                        SecretStoreType.AWS_SECRETS_MANAGER,
                        ARTIFACT_KEY_AWS_ID,
                        null),
                new SecretConfig(PAYLOAD_KEY, SecretKind.DATA_KEY),
                new SecretConfig(JWT, SecretKind.SIGNING_SECRET))),
        List.of(
            new DataSetConfig(
                SNAPSHOTS,
                PAYLOAD_KEY,
                DataSetType.POSTGRES_COLUMN,
                APP_DATABASE,
                "ai_json_snapshots",
                "id",
                "payload",
                EnvelopeFormat.JSON,
                null,
                AssociatedDataMode.ROW_ID,
                snapshots.shardSize(),
                snapshots.batchSize(),
                snapshots.concurrency(),
                snapshots.itemsPerSecond(),
                snapshots.heartbeatTimeout()),
            artifacts),
        List.of(
            new DeploymentConfig(
                DEPLOYMENT,
                target,
                List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT),
                root.resolve("keyrings/backend.json"),
                target == DeploymentTargetType.KUBERNETES
                    ? new KubernetesTarget(
                        KubernetesWorkload.NAMESPACE,
                        KubernetesWorkload.DEPLOYMENT,
                        KubernetesWorkload.KEYRING_SECRET,
                        Duration.ofSeconds(30))
                    : null,
                options.reload())),
        PolicyConfig.defaults().withMonitoringInterval(MONITORING_INTERVAL),
        backups,
        NotificationConfig.logOnly(),
        aws,
        options.metricWatch(),
        options.smokeChecks());
  }

  /**
   * Most testbeds run no service, so no smoke check covers their secrets: they say so, as a
   * configuration must. Where a test configures checks, the checks cover what they name.
   */
  private static List<SecretConfig> allowedWithoutSmokeChecks(List<SecretConfig> secrets) {
    return secrets.stream()
        .map(
            s ->
                s.withSmoke(
                    SecretSmokeConfig.allowNoChecks("the testbed runs no service to check")))
        .toList();
  }

  private String initialise(String secret, int bytes) {
    return LocalStores.initialise(store, secret, bytes);
  }

  /** The version each secret had before any rotation. */
  public String initialVersion(String secret) {
    return initialVersions.get(secret);
  }

  /**
   * A new PENDING version of data key {@code secret} (32 fresh random bytes), as CREATE_VERSION
   * makes one, for tests that re-encrypt without a rotation; returns its key id.
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
    return new DataSetScanner(
            dataSet, protectedDataSet.store(), protectedDataSet.codec(), new StoreKeyring(store))
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
      digests.put(
          dataSet, PlaintextDigest.of(activities.dataSets().get(dataSet), new StoreKeyring(store)));
    }
    return digests;
  }

  /**
   * Each item's plaintext digest, keyed {@code <data set>/<item key>}: what a rollback while the
   * service kept writing must still hold, beside what it wrote.
   */
  public Map<String, String> plaintextDigestsOfEach() {
    Map<String, String> digests = new TreeMap<>();
    for (String dataSet : List.of(SNAPSHOTS, ARTIFACTS)) {
      PlaintextDigest.ofEach(activities.dataSets().get(dataSet), new StoreKeyring(store))
          .forEach((item, digest) -> digests.put(dataSet + "/" + item, digest));
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
