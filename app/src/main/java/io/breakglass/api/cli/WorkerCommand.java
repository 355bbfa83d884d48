package io.breakglass.api.cli;

import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStores;
import io.breakglass.api.WorkerConfiguration;
import io.breakglass.worker.BreakglassActivities;
import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.MissingSearchAttributesException;
import io.breakglass.worker.PollerHealth;
import io.breakglass.worker.RequiredSearchAttributes;
import io.breakglass.worker.RotationsInFlight;
import io.breakglass.worker.ShutdownHook;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.WorkerHealth;
import io.breakglass.worker.WorkerMetrics;
import io.breakglass.worker.tracing.Tracing;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import net.sourceforge.argparse4j.inf.Namespace;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code worker config.yml}: hosts the rotation workflows and their activities on the configured
 * Temporal target until SIGTERM, then drains running activities and stops. It first makes sure the
 * namespace has the search attributes rotations set ({@link RequiredSearchAttributes}).
 */
public final class WorkerCommand extends ConfiguredCommand<WorkerConfiguration> {

  private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

  /** How often the secret age gauges re-read the store; a scrape never does. */
  private static final Duration SECRET_AGE_REFRESH = Duration.ofMinutes(1);

  public WorkerCommand() {
    super("worker", "Runs a Breakglass worker against the configured Temporal and databases");
  }

  @Override
  protected void run(
      Bootstrap<WorkerConfiguration> bootstrap,
      Namespace namespace,
      WorkerConfiguration configuration)
      throws Exception {
    if (configuration.getTemporal().target() == null) {
      // verify and adopt read this file without Temporal; the worker cannot run without it.
      throw new IllegalArgumentException("temporal.target is required (host:port of Temporal)");
    }
    RequiredSearchAttributes.ensure(configuration.getTemporal());
    Map<String, ManagedDataSource> databases = Databases.open(configuration.getDatabases());
    DataSource own = Databases.own(databases, "timeline and audit");
    SecretStore store = SecretStores.open(configuration.getRotation());
    BreakglassActivities activities =
        BreakglassActivities.create(
            configuration.getRotation(),
            store,
            new LinkedHashMap<>(databases),
            Jdbi.create(own),
            identity());
    WorkerMetrics metrics = WorkerMetrics.start(configuration.getMetrics());
    activities.secretAges().bindTo(metrics.registry());
    activities.secretAges().refreshEvery(SECRET_AGE_REFRESH);
    Tracing tracing = Tracing.start(configuration.getTracing());
    PollerHealth polls = new PollerHealth();
    TemporalConnection connection =
        TemporalConnection.open(configuration.getTemporal(), metrics.scope(), tracing, polls);
    BreakglassWorker worker =
        BreakglassWorker.start(
            connection.client(), configuration.getTemporal(), activities.activities(), tracing);
    metrics.serveHealth(new WorkerHealth(worker, polls));
    RotationsInFlight inFlight = RotationsInFlight.watch(connection.client(), metrics.registry());
    CountDownLatch stopped = new CountDownLatch(1);
    List<AutoCloseable> closeInOrder =
        new ArrayList<>(
            List.of(worker, inFlight, connection, tracing, activities.secretAges(), metrics));
    databases.values().forEach(d -> closeInOrder.add(d::stop));
    closeInOrder.add(stopped::countDown);
    ShutdownHook.register("breakglass-worker", closeInOrder.toArray(AutoCloseable[]::new));
    log.info(
        "worker polling task queue {} on {} (namespace {}); metrics at {}, probes at /health/live"
            + " and /health/ready",
        worker.taskQueue(),
        configuration.getTemporal().target(),
        configuration.getTemporal().namespace(),
        metrics.endpoint());
    stopped.await();
  }

  /**
   * A namespace without Breakglass's search attributes is one line: what is missing, how to add it.
   */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (e instanceof MissingSearchAttributesException) {
      cli.getStdErr().println("worker: " + e.getMessage());
    } else {
      super.onError(cli, namespace, e);
    }
  }

  private static String identity() {
    try {
      return ProcessHandle.current().pid() + "@" + InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return ProcessHandle.current().pid() + "@localhost";
    }
  }
}
