package io.breakglass.api.cli;

import io.breakglass.api.BreakglassConfiguration;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;
import org.eclipse.jetty.server.Server;

/**
 * The operator API (with the console and the codec server) run in-process on a configuration file,
 * as {@code server <file>} would run it, for {@code dev} and {@code demo}. Closing it stops the
 * HTTP server, so a command that ends (the demo) lets the process exit.
 */
final class LoopbackApi extends ServerCommand<BreakglassConfiguration> implements AutoCloseable {

  private volatile Server server;

  private LoopbackApi(Bootstrap<BreakglassConfiguration> bootstrap) {
    super(bootstrap.getApplication());
  }

  /** Starts the API on {@code configuration} (see {@link DevConfigurationFile}). */
  @SuppressWarnings("unchecked")
  static LoopbackApi start(Bootstrap<?> bootstrap, Path configuration) throws Exception {
    Bootstrap<BreakglassConfiguration> typed = (Bootstrap<BreakglassConfiguration>) bootstrap;
    LoopbackApi api = new LoopbackApi(typed);
    api.run(typed, new Namespace(Map.of("file", configuration.toString())));
    return api;
  }

  @Override
  protected void run(
      Environment environment, Namespace namespace, BreakglassConfiguration configuration)
      throws Exception {
    environment.lifecycle().addServerLifecycleListener(started -> server = started);
    super.run(environment, namespace, configuration);
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.stop();
    }
  }
}
