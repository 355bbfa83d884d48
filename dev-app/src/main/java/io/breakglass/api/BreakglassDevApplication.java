package io.breakglass.api;

import io.breakglass.api.cli.BenchCommand;
import io.breakglass.api.cli.DemoCommand;
import io.breakglass.api.cli.DevCommand;
import io.breakglass.api.cli.SampleServiceCommand;
import io.dropwizard.core.setup.Bootstrap;

/**
 * The development jar, {@code breakglass-dev.jar}: every command of the production jar plus the
 * embedded stack's {@code dev} and {@code demo}, {@code bench} and {@code sample-service}. It
 * carries the Temporal test server, embedded PostgreSQL and the sample service, so it is never the
 * artifact that runs against production.
 *
 * <pre>
 *   java -jar breakglass-dev.jar demo                 one emergency rotation on the embedded stack
 *   java -jar breakglass-dev.jar dev                  the embedded stack, waiting for rotations
 *   java -jar breakglass-dev.jar bench                re-encryption speed on this machine
 *   java -jar breakglass-dev.jar sample-service s.yml the sample protected service (tests, demo)
 * </pre>
 */
public class BreakglassDevApplication extends BreakglassApplication {

  public static void main(String[] args) throws Exception {
    // As in the production jar: the JDK's HttpServer (metrics endpoint, sample service) would
    // otherwise keep Nagle's algorithm on, and delayed ACKs hold every small answer about 40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    new BreakglassDevApplication().run(args);
  }

  @Override
  public void initialize(Bootstrap<BreakglassConfiguration> bootstrap) {
    super.initialize(bootstrap);
    bootstrap.addCommand(new DevCommand());
    bootstrap.addCommand(new DemoCommand());
    bootstrap.addCommand(new BenchCommand());
    bootstrap.addCommand(new SampleServiceCommand());
  }
}
