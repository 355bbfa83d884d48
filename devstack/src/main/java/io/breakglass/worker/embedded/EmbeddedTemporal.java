package io.breakglass.worker.embedded;

import io.breakglass.worker.TemporalConfig;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's Java test server as a real gRPC server on 127.0.0.1 only, for {@code dev}, {@code
 * demo} and tests. Time is real: time skipping is locked, so timers and timeouts behave as on a
 * real cluster.
 *
 * <p>Everything lives in memory: <strong>nothing survives {@link #close()} or a restart</strong>
 * (workflows, histories, task queues), so keep anything that must outlive it elsewhere. The server
 * does not implement {@code ListWorkflowExecutions}, {@code CountWorkflowExecutions}, {@code
 * ListNamespaces} or Schedules, and never moves a workflow task off a dead worker's sticky queue:
 * connect workers with {@link #temporalConfig()}, which turns sticky execution off.
 *
 * <p>Built from the test server's internal classes ({@code TestServicesStarter}, {@code
 * GRPCServerHelper}) exactly as {@code TestServer.createPortBoundServer} builds it; recheck on an
 * SDK upgrade.
 */
public final class EmbeddedTemporal implements LocalTemporal {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporal.class);

  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /**
   * Starts a server on 127.0.0.1.
   *
   * @param port the port; 0 picks a free one (see {@link #port()})
   */
  public static EmbeddedTemporal start(int port) {
    // lockTimeSkipping = true: the server keeps wall-clock time like a real one.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    // TestServer.createPortBoundServer binds every interface; this is the same assembly on
    // loopback only (grpc-api 1.76 has no address-taking Grpc.newServerBuilderFor*, Netty has).
    ServerBuilder<?> builder =
        NettyServerBuilder.forAddress(loopback, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      Server server = builder.build().start();
      log.info(
          "embedded Temporal listening on {} (in memory: nothing survives a restart)",
          server.getListenSockets());
      EmbeddedTemporal temporal = new EmbeddedTemporal(services, server);
      SearchAttributeRegistration.ensure(temporal.target(), TemporalConfig.DEFAULT_NAMESPACE);
      return temporal;
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException("cannot start embedded Temporal on " + loopback, e);
    }
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /** {@code 127.0.0.1:<port>}, for {@link TemporalConfig#target()}. */
  @Override
  public String target() {
    return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port();
  }

  /** Plaintext to {@link #target()}, sticky execution off, every other setting at its default. */
  @Override
  public TemporalConfig temporalConfig() {
    return TemporalConfig.plaintext(target()).withStickyExecutionDisabled();
  }

  /** The test server has no Web UI. */
  @Override
  public Optional<URI> webUi() {
    return Optional.empty();
  }

  @Override
  public String describe() {
    return "Temporal test server: "
        + target()
        + " (in memory: nothing survives a restart; no Web UI)";
  }

  /**
   * Stops the server and drops all its state. Close workers first: a worker still long-polling
   * holds the server for up to two seconds, then its poll is cut.
   */
  @Override
  public void close() {
    server.shutdown();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.shutdownNow();
      services.close();
    }
  }
}
