package io.breakglass.worker.embedded;

import io.breakglass.worker.TemporalConfig;
import io.breakglass.workflows.RotationSearchAttributes;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Temporal server, {@code temporal server start-dev}, as a child process on 127.0.0.1:
 * SQLite persistence in one database file (workflows survive its restart), the Web UI, the {@value
 * #NAMESPACE} namespace and Breakglass's {@link RotationSearchAttributes} registered.
 *
 * <p>It never outlives the JVM that started it: {@link #close()} stops it, and a watchdog process
 * stops it when the JVM dies without closing it ({@code kill -9}). A server left running on the
 * same database file by a JVM killed before its watchdog acted is stopped before the start.
 */
public final class TemporalDevServer implements LocalTemporal {

  public static final String NAMESPACE = "default";

  private static final Logger log = LoggerFactory.getLogger(TemporalDevServer.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  /**
   * How to start it.
   *
   * @param binary the Temporal CLI (see {@link TemporalCli})
   * @param database the SQLite file; created on the first start, reused by the next
   * @param log where the server's own output goes (appended)
   * @param port the gRPC port; 0 picks a free one
   * @param uiPort the Web UI's port; 0 picks a free one
   * @param codecEndpoint the codec server the Web UI decodes payloads with; null for none
   */
  public record Options(
      Path binary, Path database, Path log, int port, int uiPort, URI codecEndpoint) {

    /** Free ports, no codec endpoint. */
    public static Options of(Path binary, Path database, Path log) {
      return new Options(binary, database, log, 0, 0, null);
    }

    public Options ports(int port, int uiPort) {
      return new Options(binary, database, log, port, uiPort, codecEndpoint);
    }

    public Options codecEndpoint(URI codecEndpoint) {
      return new Options(binary, database, log, port, uiPort, codecEndpoint);
    }
  }

  private final Options options;
  private final Process process;
  private final Process watchdog;
  private final int port;
  private final int uiPort;

  private TemporalDevServer(
      Options options, Process process, Process watchdog, int port, int uiPort) {
    this.options = options;
    this.process = process;
    this.watchdog = watchdog;
    this.port = port;
    this.uiPort = uiPort;
  }

  /**
   * Starts the server and returns once it serves the namespace with the search attributes
   * registered and its Web UI answers; throws with the end of the server's log when it does not.
   */
  public static TemporalDevServer start(Options options) {
    Path database = options.database().toAbsolutePath().normalize();
    OrphanTemporalServer.stopIfRunning(database);
    int port = options.port() == 0 ? freePort() : options.port();
    int uiPort = options.uiPort() == 0 ? freePort() : options.uiPort();
    List<String> command =
        new ArrayList<>(
            List.of(
                options.binary().toString(),
                "server",
                "start-dev",
                "--ip",
                LOOPBACK,
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(uiPort),
                "--db-filename",
                database.toString(),
                "--namespace",
                NAMESPACE,
                "--log-level",
                "warn"));
    for (SearchAttributeKey<?> key : RotationSearchAttributes.ALL) {
      command.add("--search-attribute");
      command.add(key.getName() + "=" + RotationSearchAttributes.cliType(key));
    }
    if (options.codecEndpoint() != null) {
      command.add("--ui-codec-endpoint");
      command.add(options.codecEndpoint().toString());
    }
    Process process;
    try {
      Files.createDirectories(database.getParent());
      Files.createDirectories(options.log().toAbsolutePath().getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(options.log().toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + options.binary() + " server start-dev", e);
    }
    Process watchdog = OrphanTemporalServer.watch(process.pid());
    TemporalDevServer server = new TemporalDevServer(options, process, watchdog, port, uiPort);
    try {
      server.awaitReady();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    log.info(
        "Temporal server (start-dev) on {}, Web UI {}, database {}",
        server.target(),
        server.webUiUri(),
        database);
    return server;
  }

  @Override
  public String target() {
    return LOOPBACK + ":" + port;
  }

  public int port() {
    return port;
  }

  /** The process id of the server, e.g. to kill it in a test. */
  public long pid() {
    return process.pid();
  }

  /** Plaintext to {@link #target()}; the real server moves work off a dead worker by itself. */
  @Override
  public TemporalConfig temporalConfig() {
    return TemporalConfig.plaintext(target());
  }

  @Override
  public Optional<URI> webUi() {
    return Optional.of(webUiUri());
  }

  /** The origins a browser showing the Web UI sends (for the codec server's CORS allow-list). */
  public List<String> webUiOrigins() {
    return List.of("http://" + LOOPBACK + ":" + uiPort, "http://localhost:" + uiPort);
  }

  @Override
  public String describe() {
    return "Temporal server (temporal server start-dev): "
        + target()
        + ", namespace "
        + NAMESPACE
        + ", database "
        + options.database()
        + " (rotations survive a restart)";
  }

  /** The server's own output. */
  public Path logFile() {
    return options.log();
  }

  /**
   * Kills the server with SIGKILL, as a crash would, and waits until it is gone. Its database file
   * stays; {@link #start} on the same options brings the same workflows back.
   */
  public void kill() {
    watchdog.destroyForcibly();
    process.destroyForcibly();
    awaitExit(process, STOP_TIMEOUT);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 15 seconds). */
  @Override
  public void close() {
    watchdog.destroyForcibly();
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!awaitExit(process, STOP_TIMEOUT)) {
      log.warn(
          "Temporal server (pid {}) did not stop within {}; killing it",
          process.pid(),
          STOP_TIMEOUT);
      process.destroyForcibly();
      awaitExit(process, STOP_TIMEOUT);
    }
  }

  private URI webUiUri() {
    return URI.create("http://" + LOOPBACK + ":" + uiPort);
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target()).build());
    try {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "temporal server start-dev exited with "
                  + process.exitValue()
                  + " before it was ready; "
                  + tail(options.log()));
        }
        try {
          stubs
              .blockingStub()
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace(NAMESPACE).build());
          break;
        } catch (StatusRuntimeException notYet) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(
                "temporal server start-dev did not serve namespace "
                    + NAMESPACE
                    + " on "
                    + target()
                    + " within "
                    + READY_TIMEOUT
                    + " ("
                    + notYet.getStatus()
                    + "); "
                    + tail(options.log()));
          }
          sleep(200);
        }
      }
      // start-dev registers --search-attribute only when it creates the namespace: a database file
      // from before an attribute existed gets the missing ones here.
      SearchAttributeRegistration.ensure(target(), NAMESPACE);
      awaitWebUi(deadline);
    } finally {
      stubs.shutdownNow();
    }
  }

  private void awaitWebUi(Instant deadline) {
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(LOOPBACK, uiPort), 1_000);
        return;
      } catch (IOException notYet) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              "the Web UI of temporal server start-dev did not answer on "
                  + webUiUri()
                  + "; "
                  + tail(options.log()));
        }
        sleep(200);
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + LOOPBACK, e);
    }
  }

  private static boolean awaitExit(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Temporal server", e);
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return "last lines of "
          + file
          + ":\n  "
          + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "its log " + file + " cannot be read";
    }
  }
}
