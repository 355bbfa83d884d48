package io.breakglass.worker;

/**
 * Where the worker serves {@code /metrics} for Prometheus.
 *
 * @param host the address to bind (default {@value #DEFAULT_HOST}, reachable from this machine
 *     only; use {@code 0.0.0.0} in a pod so Prometheus can scrape it)
 * @param port the port (default {@value #DEFAULT_PORT}); 0 picks a free one
 */
public record MetricsConfig(String host, Integer port) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9464;

  public MetricsConfig {
    host = host == null || host.isBlank() ? DEFAULT_HOST : host.strip();
    port = port == null ? DEFAULT_PORT : port;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics.port must be 0-65535, got " + port);
    }
  }
}
