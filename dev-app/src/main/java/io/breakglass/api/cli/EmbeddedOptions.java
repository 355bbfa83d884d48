package io.breakglass.api.cli;

import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevTemporal;
import java.net.URI;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** The options {@code dev} and {@code demo} share. */
final class EmbeddedOptions {

  static final String DATA = "data";
  static final String TEMPORAL_PORT = "temporalPort";
  static final String METRICS_PORT = "metricsPort";
  static final String TEMPORAL = "temporal";
  static final String UI_PORT = "uiPort";

  private EmbeddedOptions() {}

  static void add(Subparser subparser, int temporalPort, int uiPort, int metricsPort) {
    subparser
        .addArgument("--data")
        .dest(DATA)
        .setDefault(DevLayout.DEFAULT_ROOT.toString())
        .help("the data folder, created on the first run (default " + DevLayout.DEFAULT_ROOT + ")");
    subparser
        .addArgument("--temporal")
        .dest(TEMPORAL)
        .choices("auto", "real", "embedded")
        .setDefault("auto")
        .help(
            "real: temporal server start-dev with its Web UI (needs the Temporal CLI); embedded: the"
                + " in-memory test server; auto (default): real when the Temporal CLI is installed");
    subparser
        .addArgument("--temporal-port")
        .dest(TEMPORAL_PORT)
        .type(Integer.class)
        .setDefault(temporalPort)
        .help("port of the Temporal server on 127.0.0.1 (0: any free port)");
    subparser
        .addArgument("--ui-port")
        .dest(UI_PORT)
        .type(Integer.class)
        .setDefault(uiPort)
        .help("port of the Temporal Web UI on 127.0.0.1, real server only (0: any free port)");
    subparser
        .addArgument("--metrics-port")
        .dest(METRICS_PORT)
        .type(Integer.class)
        .setDefault(metricsPort)
        .help("port of the worker's Prometheus endpoint on 127.0.0.1 (0: any free port)");
  }

  /**
   * The Temporal server chosen, its Web UI decoding payloads through the API on {@code apiPort}.
   */
  static DevTemporal temporal(Namespace namespace, int apiPort) {
    return new DevTemporal(
        DevTemporal.Mode.parse(namespace.getString(TEMPORAL)),
        namespace.getInt(TEMPORAL_PORT),
        namespace.getInt(UI_PORT),
        URI.create("http://127.0.0.1:" + apiPort + "/codec"));
  }
}
