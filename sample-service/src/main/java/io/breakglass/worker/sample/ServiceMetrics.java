package io.breakglass.worker.sample;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The two series METRIC_WATCH looks at, as the protected backend exposes them on {@code /metrics}:
 * {@code revenuepilot_prompt_redactions_total} (one per snapshot written, as a redaction pipeline
 * counts prompts it redacted) and {@code revenuepilot_egress_failures_total} (a stored item that
 * did not decrypt, or a request while the egress fault is switched on).
 */
final class ServiceMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter redactions =
      Counter.builder("revenuepilot.prompt.redactions")
          .description("prompts passed through the redaction pipeline")
          .register(registry);
  private final Counter egressFailures =
      Counter.builder("revenuepilot.egress.failures")
          .description("responses that could not be served (undecryptable item, injected fault)")
          .register(registry);

  private final AtomicBoolean injectedEgressFailures = new AtomicBoolean();

  void redaction() {
    redactions.increment();
  }

  void egressFailure() {
    egressFailures.increment();
  }

  /** While on, every chart or snapshot request counts as an egress failure. */
  void injectEgressFailures(boolean on) {
    injectedEgressFailures.set(on);
  }

  /** Called once per chart or snapshot request. */
  void requestServed() {
    if (injectedEgressFailures.get()) {
      egressFailures.increment();
    }
  }

  /** Prometheus text format. */
  String scrape() {
    return registry.scrape();
  }
}
