package io.breakglass.api.cli;

import com.codahale.metrics.MetricRegistry;
import io.breakglass.api.SampleServiceConfiguration;
import io.breakglass.worker.ShutdownHook;
import io.breakglass.worker.sample.SampleService;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.util.concurrent.CountDownLatch;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code sample-service config.yml}: the sample protected service (charts, AI snapshots, health,
 * metrics, JSON log), for the demo and end-to-end tests, until Ctrl-C. Its keyring reloads on
 * {@code POST /admin/reload}, which the {@code RELOAD_ENDPOINT} deployment target calls.
 */
public final class SampleServiceCommand extends ConfiguredCommand<SampleServiceConfiguration> {

  public SampleServiceCommand() {
    super("sample-service", "Runs the sample protected service (loopback, for tests and the demo)");
  }

  @Override
  protected void run(
      Bootstrap<SampleServiceConfiguration> bootstrap,
      Namespace namespace,
      SampleServiceConfiguration configuration)
      throws Exception {
    ManagedDataSource database = configuration.getDatabase().build(new MetricRegistry(), "sample");
    database.start();
    SampleService service = SampleService.start(configuration.getService(), database);
    System.out.println("sample service listening on " + service.baseUri() + " (Ctrl-C stops it)");
    CountDownLatch stopped = new CountDownLatch(1);
    ShutdownHook.register("breakglass-sample-service", service, database::stop, stopped::countDown);
    stopped.await();
  }
}
