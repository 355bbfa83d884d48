package io.breakglass.worker.embedded;

import io.breakglass.worker.TemporalConfig;
import java.net.URI;
import java.util.Optional;

/** A Temporal server that {@code dev}, {@code demo} and tests run on loopback beside themselves. */
public interface LocalTemporal extends AutoCloseable {

  /** {@code 127.0.0.1:<port>} of its gRPC frontend. */
  String target();

  /** How a worker or client connects to it. */
  TemporalConfig temporalConfig();

  /** The Web UI's URL; empty for a server without one. */
  Optional<URI> webUi();

  /** What it is and what survives its restart, in one line for the operator. */
  String describe();

  /** Stops it; never throws. */
  @Override
  void close();
}
