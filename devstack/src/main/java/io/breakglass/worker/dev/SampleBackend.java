package io.breakglass.worker.dev;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.LogScanConfig;
import io.breakglass.activities.config.MetricConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.activities.config.ReloadEndpointTarget;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.metrics.PrometheusClient;
import io.breakglass.activities.metrics.QueryResult;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.worker.sample.SampleService;
import io.breakglass.worker.sample.SampleServiceConfig;
import io.breakglass.worker.sample.SampleSmokeChecks;
import io.breakglass.worker.sample.SecurityControlTests;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The sample service as the dev stack's {@code backend} (the demo's whole runbook): on a loopback
 * port, reloaded by the RELOAD_ENDPOINT target, exercised by the runbook's HTTP smoke checks, and
 * watched by METRIC_WATCH (its Prometheus analysis and its log scan) through a Prometheus on
 * loopback. The machine must have {@value DevPrometheus#BINARY} on the PATH: the runbook is never
 * shown without METRIC_WATCH. The reload token and the patient-hash key are random per run and stay
 * in this process.
 */
final class SampleBackend implements AutoCloseable {

  /** The variable the reload target reads the token from; answered by {@link #environment()}. */
  static final String TOKEN_ENV = "BREAKGLASS_DEMO_RELOAD_TOKEN";

  private static final String REDACTIONS =
      "sum(increase(revenuepilot_prompt_redactions_total[10s]))";
  private static final String EGRESS = "sum(increase(revenuepilot_egress_failures_total[10s]))";
  private static final Duration DATA_WITHIN = Duration.ofSeconds(30);

  /** Why the sample service cannot run here. */
  private static final String MISSING_PROMETHEUS =
      "no "
          + DevPrometheus.BINARY
          + " on the PATH, and the sample service's METRIC_WATCH needs one"
          + " (bin/install-prerequisites --demo installs Debian's)";

  private final DevLayout layout;
  private final int port = freePort();
  private final Path prometheusBinary;
  private final int prometheusPort = freePort();
  private final String token = random();
  private SampleService service;
  private DevPrometheus prometheus;

  /**
   * @throws IllegalStateException when there is no {@value DevPrometheus#BINARY} on the PATH,
   *     before anything starts
   */
  SampleBackend(DevLayout layout) {
    this.layout = layout;
    this.prometheusBinary =
        DevPrometheus.binary().orElseThrow(() -> new IllegalStateException(MISSING_PROMETHEUS));
  }

  /**
   * {@code settings} with {@code backend} behind the reload endpoint, the smoke checks against the
   * service (its HTTP checks, then its pytest security controls as a {@code command} check), and
   * METRIC_WATCH.
   */
  RotationSettings applyTo(RotationSettings settings) {
    List<DeploymentConfig> deployments =
        settings.deployments().stream()
            .map(
                d ->
                    !d.name().equals(DevSettings.DEPLOYMENT)
                        ? d
                        : new DeploymentConfig(
                            d.name(),
                            DeploymentTargetType.RELOAD_ENDPOINT,
                            d.secrets(),
                            d.keyringFile(),
                            null,
                            new ReloadEndpointTarget(
                                d.keyringFile(), uri().resolve("/admin/reload"), TOKEN_ENV)))
            .toList();
    return new RotationSettings(
        settings.secretStore(),
        settings.secrets(),
        settings.dataSets(),
        deployments,
        settings.policy(),
        settings.backups(),
        settings.notifications(),
        settings.aws(),
        metricWatch(),
        Stream.concat(
                SampleSmokeChecks.against(uri()).stream(),
                Stream.of(
                    SecurityControlTests.check(
                        SecurityControlTests.install(layout.root().resolve("sample-service")),
                        uri())))
            .toList());
  }

  /** The process environment, plus the reload token. */
  Function<String, String> environment() {
    return name -> name.equals(TOKEN_ENV) ? token : System.getenv(name);
  }

  /** Starts the service on the stack's database and store, then Prometheus scraping it. */
  void start(DataSource app, SecretStore store, RotationSettings settings, PrintStream out) {
    service =
        SampleService.start(
            new SampleServiceConfig(
                null,
                port,
                DevSettings.DEPLOYMENT,
                layout.keyring(DevSettings.DEPLOYMENT),
                settings.secretStore(),
                layout.artifacts(),
                layout.sampleLog(),
                null,
                null,
                random(),
                token),
            app,
            store);
    out.println(
        "sample service (the backend deployment, RELOAD_ENDPOINT; smoke checks against it): "
            + uri());
    prometheus =
        DevPrometheus.start(prometheusBinary, prometheusPort, List.of("127.0.0.1:" + port));
    awaitBaselineData();
    out.println("prometheus scraping it every second (METRIC_WATCH on): " + prometheus.url());
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public void close() {
    if (service != null) {
      service.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  private MetricWatchConfig metricWatch() {
    return new MetricWatchConfig(
        URI.create("http://127.0.0.1:" + prometheusPort),
        Duration.ofSeconds(5),
        List.of(
            new MetricConfig(
                "redactions", REDACTIONS, Duration.ofSeconds(2), 3, "result > 0", null, 0, 0, null),
            new MetricConfig(
                "egress-failures",
                EGRESS,
                Duration.ofSeconds(2),
                3,
                null,
                "result > baseline * 1.5 + 1",
                0,
                0,
                EGRESS)),
        new LogScanConfig(List.of(layout.sampleLog()), 0, null));
  }

  /** PLAN captures baselines: both queries must answer before a rotation starts. */
  private void awaitBaselineData() {
    PrometheusClient client = new PrometheusClient(prometheus.url(), Duration.ofSeconds(2));
    long deadline = System.nanoTime() + DATA_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (client.query(REDACTIONS) instanceof QueryResult.Value
          && client.query(EGRESS) instanceof QueryResult.Value) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for prometheus data", e);
      }
    }
    throw new IllegalStateException(
        "prometheus has no data of the sample service within " + DATA_WITHIN);
  }

  private static String random() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
