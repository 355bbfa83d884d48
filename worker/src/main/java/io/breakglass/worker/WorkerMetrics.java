package io.breakglass.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's metrics: one Prometheus registry holding the Temporal SDK's own metrics ({@code
 * temporal_*}: polls, task latencies, workflow and activity outcomes, bridged from the SDK's Tally
 * scope), JVM memory, threads and CPU, and whatever the activities register; served as Prometheus
 * text on {@code GET /metrics}. The same port serves the probes: {@code /health/live} and {@code
 * /health/ready} answer 200 or 503 with a JSON body ({@code {"status":"UP"}}, or {@code
 * {"status":"DOWN","reason":"..."}}) from the {@link WorkerHealth} given to {@link
 * #serveHealth(WorkerHealth)}; until then the worker is starting: live, not ready.
 *
 * <p>Give {@link #scope()} to {@link TemporalConnection#open(TemporalConfig, Scope)}: the client
 * and every worker built on it then report here.
 */
public final class WorkerMetrics implements AutoCloseable {

  /** How often the SDK's buffered Tally metrics are pushed into the registry. */
  private static final com.uber.m3.util.Duration REPORT_EVERY =
      com.uber.m3.util.Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(WorkerMetrics.class);

  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final WorkerHealth.Verdict STARTING =
      new WorkerHealth.Verdict(false, "worker is starting");

  private final PrometheusMeterRegistry registry;
  private final Scope scope;
  private final HttpServer server;
  private volatile WorkerHealth health;

  private WorkerMetrics(PrometheusMeterRegistry registry, Scope scope, HttpServer server) {
    this.registry = registry;
    this.scope = scope;
    this.server = server;
  }

  /** Starts the registry and the {@code /metrics} endpoint on {@code config}'s address. */
  public static WorkerMetrics start(MetricsConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new LongDurationBuckets());
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Scope scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(REPORT_EVERY);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
    } catch (IOException e) {
      closeQuietly(scope);
      throw new UncheckedIOException(
          "cannot serve metrics on " + config.host() + ":" + config.port(), e);
    }
    server.createContext("/metrics", exchange -> serve(exchange, registry));
    WorkerMetrics metrics = new WorkerMetrics(registry, scope, server);
    server.createContext(
        "/health/live",
        exchange ->
            probe(
                exchange,
                "/health/live",
                metrics.health == null
                    ? new WorkerHealth.Verdict(true, null)
                    : metrics.health.live()));
    server.createContext(
        "/health/ready",
        exchange ->
            probe(
                exchange,
                "/health/ready",
                metrics.health == null ? STARTING : metrics.health.ready()));
    server.start();
    return metrics;
  }

  /** Answers {@code /health/live} and {@code /health/ready} from {@code health} from now on. */
  public void serveHealth(WorkerHealth health) {
    this.health = health;
  }

  private static void probe(HttpExchange exchange, String path, WorkerHealth.Verdict verdict)
      throws IOException {
    try (exchange) {
      if (!path.equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = probeBody(verdict).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(verdict.up() ? 200 : 503, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The probe's JSON; the reasons are Breakglass's own words, quoted for JSON all the same. */
  static String probeBody(WorkerHealth.Verdict verdict) {
    if (verdict.up()) {
      return "{\"status\":\"UP\"}";
    }
    String reason = verdict.reason().replace("\\", "\\\\").replace("\"", "\\\"");
    return "{\"status\":\"DOWN\",\"reason\":\"" + reason + "\"}";
  }

  private static void serve(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The Tally scope for the Temporal SDK; reports into {@link #registry()}. */
  public Scope scope() {
    return scope;
  }

  /** The registry, for meters of the worker's own (re-encryption progress, failures). */
  public MeterRegistry registry() {
    return registry;
  }

  /** The port {@code /metrics} listens on (the chosen one when configured as 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The URL of the metrics endpoint (on loopback when bound to every interface). */
  public URI endpoint() {
    InetSocketAddress address = server.getAddress();
    String host =
        address.getAddress().isAnyLocalAddress()
            ? "127.0.0.1"
            : address.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + address.getPort() + "/metrics");
  }

  /** Stops the endpoint, flushes the SDK metrics and closes the registry. */
  @Override
  public void close() {
    server.stop(0);
    // Closing the root scope reports what is buffered, then closes the reporter and the registry.
    closeQuietly(scope);
  }

  private static void closeQuietly(Scope scope) {
    try {
      scope.close();
    } catch (ScopeCloseException e) {
      log.warn("could not flush the Temporal SDK metrics", e);
    }
  }
}
