package io.breakglass.worker.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.SecretStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small stand-in for the backend the runbook protects, for tests and the demo: chart upload and
 * download, AI snapshot writes and reads, a JWT-protected {@code /session} (HS256, signed with the
 * jwt signing secret's versions its keyring holds), {@code /health}, {@code /metrics} and JSON log
 * lines. It encrypts with its keyring's primary and decrypts by the key id a stored item names,
 * with Breakglass's own envelope code, into the same folder layout and table the {@code
 * chart-artifacts} and {@code ai-snapshots} data sets describe, so Breakglass re-encrypts and
 * verifies what it writes. It reads its keyring from the file a deployment target publishes, at
 * start and on {@code POST /admin/reload} (the {@code RELOAD_ENDPOINT} target's restart).
 * Thread-safe: requests run on a pool of threads.
 */
public final class SampleService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SampleService.class);
  private static final int THREADS = 8;

  private final HttpServer server;
  private final ExecutorService threads;

  private SampleService(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Starts the service; the secret store is the one {@code config} names.
   *
   * @param database holds {@code ai_json_snapshots} (created when missing)
   */
  public static SampleService start(SampleServiceConfig config, DataSource database) {
    return start(config, database, LocalSecretStore.open(config.secretStore()));
  }

  /** Starts the service on an open secret store. */
  public static SampleService start(
      SampleServiceConfig config, DataSource database, SecretStore store) {
    LoadedKeyring keyring =
        new LoadedKeyring(
            config.keyringFile(),
            config.deployment(),
            List.of(config.chartSecret(), config.snapshotSecret()),
            List.of(config.jwtSecret()),
            store);
    EventLog events = new EventLog(config.logFile());
    ServiceMetrics metrics = new ServiceMetrics();
    ServiceState state =
        new ServiceState(keyring, new PatientHash(config.patientHashKey()), events, metrics);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), e);
    }
    server.createContext(
        ChartRoutes.PATH,
        guarded(
            new ChartRoutes(
                config.chartSecret(), new ChartFolder(config.artifactDirectory()), state)));
    server.createContext(
        SnapshotRoutes.PATH,
        guarded(new SnapshotRoutes(config.snapshotSecret(), new SnapshotTable(database), state)));
    server.createContext(SessionRoutes.PATH, guarded(new SessionRoutes(config.jwtSecret(), state)));
    server.createContext(
        AdminRoutes.PATH, guarded(new AdminRoutes(config.reloadToken(), keyring, events, metrics)));
    server.createContext(
        "/health", guarded(exchange -> HttpReplies.json(exchange, 200, Map.of("status", "UP"))));
    server.createContext(
        "/metrics",
        guarded(
            exchange ->
                HttpReplies.bytes(
                    exchange,
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape().getBytes(StandardCharsets.UTF_8))));
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    server.setExecutor(threads);
    server.start();
    log.info("sample service listening on {}:{}", config.host(), server.getAddress().getPort());
    return new SampleService(server, threads);
  }

  /** The port it listens on (the chosen one when configured as 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Its base URL on loopback, e.g. {@code http://127.0.0.1:41234}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /** Answers 400 for a malformed name and 500 for anything else, naming no content. */
  private static HttpHandler guarded(HttpHandler handler) {
    return exchange -> {
      try (HttpExchange closing = exchange) {
        try {
          handler.handle(exchange);
        } catch (IllegalArgumentException e) {
          HttpReplies.json(exchange, 400, Map.of("error", e.getMessage()));
        } catch (RuntimeException e) {
          // The context, not the path: a chart upload's path holds a patient id.
          log.warn(
              "{} {} failed: {}",
              exchange.getRequestMethod(),
              exchange.getHttpContext().getPath(),
              e.toString());
          HttpReplies.json(exchange, 500, Map.of("error", e.getClass().getSimpleName()));
        }
      }
    };
  }
}
