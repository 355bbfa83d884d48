package io.breakglass.api.http;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.dropwizard.lifecycle.Managed;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The API process's Prometheus registry: JVM meters, one timer per endpoint and status ({@link
 * RequestMetrics}) and the Temporal client's own meters (through {@link #scope()}). Served on the
 * admin port by {@link #servlet()}.
 */
public final class ApiMetrics implements Managed {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Scope scope;

  public ApiMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(com.uber.m3.util.Duration.ofSeconds(1));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** For {@code TemporalConnection.open}: the Temporal client reports here. */
  public Scope scope() {
    return scope;
  }

  /** The Prometheus text exposition of {@link #registry()}. */
  public HttpServlet servlet() {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.getOutputStream().write(registry.scrape().getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  @Override
  public void stop() throws Exception {
    // Closing the root scope reports what is buffered, then closes the reporter and the registry.
    scope.close();
  }
}
