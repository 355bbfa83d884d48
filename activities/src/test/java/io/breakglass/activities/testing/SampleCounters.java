package io.breakglass.activities.testing;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for the sample protected service's scrape endpoint: the two counters it exposes, {@code
 * revenuepilot_prompt_redactions_total} and {@code revenuepilot_egress_failures_total}, through
 * Micrometer's Prometheus registry, on {@code http://127.0.0.1:<port>/metrics}.
 */
public final class SampleCounters implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter redactions =
      Counter.builder("revenuepilot.prompt.redactions").register(registry);
  private final Counter egressFailures =
      Counter.builder("revenuepilot.egress.failures").register(registry);
  private final HttpServer server;

  public SampleCounters() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** {@code host:port} for a Prometheus scrape config. */
  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public void redact(int times) {
    redactions.increment(times);
  }

  public void egressFailures(int times) {
    egressFailures.increment(times);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
