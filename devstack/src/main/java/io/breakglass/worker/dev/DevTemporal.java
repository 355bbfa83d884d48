package io.breakglass.worker.dev;

import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.worker.embedded.LocalTemporal;
import io.breakglass.worker.embedded.TemporalCli;
import io.breakglass.worker.embedded.TemporalDevServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Which Temporal server {@code dev} and {@code demo} run on, and on which ports.
 *
 * @param mode {@code --temporal}
 * @param port the gRPC port on 127.0.0.1 (0: any free port)
 * @param uiPort the Web UI's port on 127.0.0.1 (0: any free port); the real server only
 * @param codecEndpoint the codec server the Web UI decodes payloads with; null for none
 */
public record DevTemporal(Mode mode, int port, int uiPort, URI codecEndpoint) {

  /** {@code --temporal=embedded|real|auto}. */
  public enum Mode {
    /** The Java test server, in memory. */
    EMBEDDED,
    /** {@code temporal server start-dev}; refuses to start without the Temporal CLI. */
    REAL,
    /** The real server when the Temporal CLI is there, else the test server, saying so. */
    AUTO;

    public static Mode parse(String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--temporal must be embedded, real or auto, got '" + value + "'");
      }
    }
  }

  /** The Java test server on {@code port}. */
  public static DevTemporal embedded(int port) {
    return new DevTemporal(Mode.EMBEDDED, port, 0, null);
  }

  /** Starts the chosen server; the real one keeps its database file in {@code layout}. */
  LocalTemporal start(DevLayout layout, PrintStream out) {
    return start(layout, out, mode == Mode.EMBEDDED ? Optional.empty() : TemporalCli.find());
  }

  /**
   * {@link #start(DevLayout, PrintStream)} with the Temporal CLI {@code cli} (empty: none found).
   */
  LocalTemporal start(DevLayout layout, PrintStream out, Optional<Path> cli) {
    if (mode == Mode.EMBEDDED) {
      return EmbeddedTemporal.start(port);
    }
    if (cli.isEmpty()) {
      if (mode == Mode.REAL) {
        throw new IllegalStateException("--temporal=real: " + TemporalCli.MISSING);
      }
      out.println(TemporalCli.MISSING);
      return EmbeddedTemporal.start(port);
    }
    TemporalDevServer.Options options =
        TemporalDevServer.Options.of(cli.get(), layout.temporalDatabase(), layout.temporalLog())
            .ports(port, uiPort)
            .codecEndpoint(codecEndpoint);
    if (mode == Mode.REAL) {
      return TemporalDevServer.start(options);
    }
    try {
      return TemporalDevServer.start(options);
    } catch (RuntimeException failed) {
      out.println(
          "the real Temporal server ("
              + cli.get()
              + ") did not start, so running on the embedded"
              + " test server (no Web UI; nothing survives a restart): "
              + String.valueOf(failed.getMessage()).lines().findFirst().orElse(""));
      return EmbeddedTemporal.start(port);
    }
  }
}
