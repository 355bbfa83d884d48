package io.breakglass.worker.tracing;

import java.net.URI;

/**
 * Whether a process sends traces, and where. Off unless {@code enabled: true}.
 *
 * <pre>{@code
 * tracing:
 *   enabled: true
 *   otlpEndpoint: http://otel-collector.observability:4317
 *   serviceName: breakglass-worker
 * }</pre>
 *
 * @param enabled send spans; false (the default) creates no OpenTelemetry SDK and registers no
 *     interceptor
 * @param otlpEndpoint the OTLP/gRPC endpoint of a collector, {@code http://} or {@code https://}
 *     (default {@value #DEFAULT_OTLP_ENDPOINT})
 * @param serviceName the {@code service.name} of every span (default {@value
 *     #DEFAULT_SERVICE_NAME})
 */
public record TracingConfig(boolean enabled, String otlpEndpoint, String serviceName) {

  public static final String DEFAULT_OTLP_ENDPOINT = "http://localhost:4317";
  public static final String DEFAULT_SERVICE_NAME = "breakglass";

  public TracingConfig {
    otlpEndpoint = blank(otlpEndpoint) ? DEFAULT_OTLP_ENDPOINT : otlpEndpoint.strip();
    serviceName = blank(serviceName) ? DEFAULT_SERVICE_NAME : serviceName.strip();
    String scheme = URI.create(otlpEndpoint).getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "tracing.otlpEndpoint must be an http:// or https:// URL, got '" + otlpEndpoint + "'");
    }
  }

  /** Tracing off, the default. */
  public static TracingConfig off() {
    return new TracingConfig(false, null, null);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
