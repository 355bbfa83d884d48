package io.breakglass.api.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import java.util.concurrent.TimeUnit;

/** Times every API call as {@code breakglass_api_requests_seconds{method, route, status}}. */
@PreMatching
public final class RequestMetrics implements ContainerRequestFilter, ContainerResponseFilter {

  private static final String STARTED = RequestMetrics.class.getName() + ".started";

  private final MeterRegistry registry;

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    request.setProperty(STARTED, System.nanoTime());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object started = request.getProperty(STARTED);
    if (!(started instanceof Long start)) {
      return;
    }
    Timer.builder("breakglass.api.requests")
        .description("operator API calls by endpoint and status")
        .tag("route", Route.template(request).orElse("unmatched"))
        .tag("method", request.getMethod())
        .tag("status", String.valueOf(response.getStatus()))
        .register(registry)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }
}
