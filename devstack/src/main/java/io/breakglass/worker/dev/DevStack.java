package io.breakglass.worker.dev;

import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStores;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.worker.BreakglassActivities;
import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.CodecConfig;
import io.breakglass.worker.CodecKeys;
import io.breakglass.worker.MetricsConfig;
import io.breakglass.worker.RotationsInFlight;
import io.breakglass.worker.TemporalConfig;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.WorkerMetrics;
import io.breakglass.worker.embedded.EmbeddedDatabase;
import io.breakglass.worker.embedded.LocalTemporal;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Breakglass on one machine, on loopback: a Temporal server (the real one, {@code temporal server
 * start-dev} with its Web UI, or the Java test server; see {@link DevTemporal}), embedded
 * PostgreSQL (the protected {@code clinic} database and Breakglass's own), the local secret store,
 * the synthetic demo data, and a worker whose payloads Temporal stores encrypted under the codec
 * key of the data folder. State lives in one data folder, created on the first run and reused by
 * the next (the test server keeps nothing across restarts; the real one keeps its database file
 * there).
 */
public final class DevStack implements AutoCloseable {

  /** Sizes of the synthetic data set. */
  public record DemoSize(int snapshots, int artifacts, int artifactBytes) {
    public static final DemoSize DEFAULT = new DemoSize(20_000, 500, 16_384);
  }

  /** The id of the codec key {@code dev} generates into its data folder. */
  public static final String CODEC_KEY_ID = "dev";

  private final DevLayout layout;
  private final RotationSettings settings;
  private final EmbeddedDatabase database;
  private final SecretStore store;
  private final Jdbi breakglass;
  private final LocalTemporal temporal;
  private final TemporalConfig config;
  private final WorkerMetrics metrics;
  private final TemporalConnection connection;
  private final BreakglassActivities activities;
  private final BreakglassWorker worker;
  private final RotationsInFlight inFlight;
  private final SampleBackend sample;

  private DevStack(
      DevLayout layout,
      DevTemporal temporalChoice,
      int metricsPort,
      DemoSize size,
      PrintStream out,
      boolean withSample) {
    this.layout = layout;
    this.sample = withSample ? new SampleBackend(layout) : null;
    RotationSettings dev = DevApprovals.apply(layout, DevSettings.create(layout));
    this.settings = withSample ? sample.applyTo(dev) : dev;
    createFolders(layout);
    out.println("data folder: " + layout.root().toAbsolutePath());
    database = EmbeddedDatabase.start(layout.postgres());
    database.ensureDatabase(DevSettings.APP_DATABASE);
    database.ensureDatabase(DevSettings.BREAKGLASS_DATABASE);
    DataSource app = dataSource(DevSettings.APP_DATABASE);
    DataSource own = dataSource(DevSettings.BREAKGLASS_DATABASE);
    BreakglassSchema.migrate(own);
    breakglass = Jdbi.create(own);
    if (!Files.exists(layout.masterKey())) {
      MasterKey.createFile(layout.masterKey());
    }
    store = SecretStores.open(settings);
    DevSecrets.ensure(settings, store);
    seed(app, size, out);
    activities =
        BreakglassActivities.create(
            settings,
            store,
            Map.of(DevSettings.APP_DATABASE, app),
            breakglass,
            identity(),
            withSample ? sample.environment() : System::getenv);
    if (withSample) {
      sample.start(app, store, settings, out);
    }
    temporal = temporalChoice.start(layout, out);
    if (!Files.exists(layout.codecKey())) {
      CodecKeys.createFile(layout.codecKey());
    }
    config = temporal.temporalConfig().withCodec(CodecConfig.file(CODEC_KEY_ID, layout.codecKey()));
    metrics = WorkerMetrics.start(new MetricsConfig("127.0.0.1", metricsPort));
    activities.secretAges().bindTo(metrics.registry());
    activities.secretAges().refreshEvery(Duration.ofMinutes(1));
    connection = TemporalConnection.open(config, metrics.scope());
    worker = BreakglassWorker.start(connection.client(), config, activities.activities());
    inFlight = RotationsInFlight.watch(connection.client(), metrics.registry());
  }

  /**
   * Starts the stack in {@code layout} on the Temporal test server, seeding the demo data on the
   * first run.
   *
   * @param temporalPort the Temporal test server's port (0: any free port)
   * @param metricsPort the worker's Prometheus endpoint port (0: any free port)
   */
  public static DevStack start(
      DevLayout layout, int temporalPort, int metricsPort, DemoSize size, PrintStream out) {
    return new DevStack(layout, DevTemporal.embedded(temporalPort), metricsPort, size, out, false);
  }

  /**
   * Starts the stack in {@code layout} on the Temporal server {@code temporal} chooses, with the
   * sample service as the {@code backend} deployment when {@code withSampleService}.
   *
   * @throws IllegalStateException with {@code withSampleService} and no {@link #prometheus()},
   *     before anything starts
   */
  public static DevStack start(
      DevLayout layout,
      DevTemporal temporal,
      int metricsPort,
      DemoSize size,
      PrintStream out,
      boolean withSampleService) {
    return new DevStack(layout, temporal, metricsPort, size, out, withSampleService);
  }

  /**
   * {@link #start(DevLayout, int, int, DemoSize, PrintStream)} with the sample service as the
   * {@code backend} deployment (see {@link #sampleService()}).
   */
  public static DevStack startWithSampleService(
      DevLayout layout, int temporalPort, int metricsPort, DemoSize size, PrintStream out) {
    return new DevStack(layout, DevTemporal.embedded(temporalPort), metricsPort, size, out, true);
  }

  /**
   * The {@code prometheus} on the PATH, which the sample service's METRIC_WATCH runs; empty when
   * the machine has none (the stack then cannot run with the sample service).
   */
  public static Optional<Path> prometheus() {
    return DevPrometheus.binary();
  }

  /**
   * The sample service's base URL when it is the {@code backend} deployment: reloaded by the
   * RELOAD_ENDPOINT target, smoke-checked and metric-watched.
   */
  public Optional<URI> sampleService() {
    return Optional.ofNullable(sample).map(SampleBackend::uri);
  }

  public WorkflowClient client() {
    return connection.client();
  }

  public String taskQueue() {
    return worker.taskQueue();
  }

  public String temporalTarget() {
    return temporal.target();
  }

  /** The Temporal server the stack runs on. */
  public LocalTemporal temporal() {
    return temporal;
  }

  /** How to reach the stack's Temporal: its target, the dev payload codec. */
  public TemporalConfig temporalConfig() {
    return config;
  }

  /** The JDBC URL of one of the embedded databases (user postgres, loopback only). */
  public String jdbcUrl(String database) {
    return this.database.jdbcUrl(database);
  }

  public URI metricsEndpoint() {
    return metrics.endpoint();
  }

  public RotationSettings settings() {
    return settings;
  }

  public SecretStore store() {
    return store;
  }

  public DevLayout layout() {
    return layout;
  }

  public ProtectedDataSets dataSets() {
    return activities.dataSets();
  }

  public RotationHistory history() {
    return new RotationHistory(breakglass);
  }

  /** The key id new writes of {@code secret} use now. */
  public KeyId currentKey(String secret) {
    return new KeyId(
        secret, store.describe(secret).labelled(Label.CURRENT).orElseThrow().versionId());
  }

  @Override
  public void close() {
    worker.close();
    inFlight.close();
    connection.close();
    activities.secretAges().close();
    metrics.close();
    temporal.close();
    if (sample != null) {
      sample.close();
    }
    database.close();
  }

  private void seed(DataSource app, DemoSize size, PrintStream out) {
    DemoData demo = new DemoData(new StoreKeyring(store));
    int rows = demo.seedSnapshots(app, size.snapshots(), currentKey(DevSettings.PAYLOAD_KEY));
    int files =
        demo.seedArtifacts(
            layout.artifacts(),
            size.artifacts(),
            size.artifactBytes(),
            currentKey(DevSettings.ARTIFACT_KEY));
    if (rows + files > 0) {
      out.println(
          "seeded synthetic data: "
              + rows
              + " ai_json_snapshots rows, "
              + files
              + " chart artifacts (no real PHI)");
    }
  }

  private DataSource dataSource(String name) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(database.jdbcUrl(name));
    return dataSource;
  }

  private static void createFolders(DevLayout layout) {
    try {
      for (Path folder : new Path[] {layout.root(), layout.artifacts(), layout.backups()}) {
        Files.createDirectories(folder);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder " + layout.root(), e);
    }
  }

  private static String identity() {
    try {
      return ProcessHandle.current().pid() + "@" + InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return ProcessHandle.current().pid() + "@localhost";
    }
  }
}
