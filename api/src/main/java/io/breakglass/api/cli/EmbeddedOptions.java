package io.breakglass.api.cli;

import io.breakglass.worker.dev.DevLayout;
import net.sourceforge.argparse4j.inf.Subparser;

/** The options {@code dev} and {@code demo} share. */
final class EmbeddedOptions {

  static final String DATA = "data";
  static final String TEMPORAL_PORT = "temporalPort";
  static final String METRICS_PORT = "metricsPort";

  private EmbeddedOptions() {}

  static void add(Subparser subparser, int temporalPort, int metricsPort) {
    subparser
        .addArgument("--data")
        .dest(DATA)
        .setDefault(DevLayout.DEFAULT_ROOT.toString())
        .help("the data folder, created on the first run (default " + DevLayout.DEFAULT_ROOT + ")");
    subparser
        .addArgument("--temporal-port")
        .dest(TEMPORAL_PORT)
        .type(Integer.class)
        .setDefault(temporalPort)
        .help("port of the embedded Temporal test server on 127.0.0.1 (0: any free port)");
    subparser
        .addArgument("--metrics-port")
        .dest(METRICS_PORT)
        .type(Integer.class)
        .setDefault(metricsPort)
        .help("port of the worker's Prometheus endpoint on 127.0.0.1 (0: any free port)");
  }
}
