package io.breakglass.worker.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's tracing: off, or an OpenTelemetry tracer provider that batches spans to an OTLP
 * collector, with the Temporal interceptors that make the spans. Give {@link #clientInterceptors()}
 * to the workflow client and {@link #workerInterceptors()} to the worker; {@link #close()} sends
 * what is still batched and stops the exporter.
 *
 * <p>Off (the default) creates no OpenTelemetry SDK and both lists are empty.
 */
public final class Tracing implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Tracing.class);
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final Tracing OFF = new Tracing(null);

  private final SdkTracerProvider provider;

  private Tracing(SdkTracerProvider provider) {
    this.provider = provider;
  }

  /** Tracing off. */
  public static Tracing off() {
    return OFF;
  }

  /** Tracing as {@code config} says: off, or spans to its OTLP/gRPC endpoint. */
  public static Tracing start(TracingConfig config) {
    if (config == null || !config.enabled()) {
      return OFF;
    }
    log.info("tracing on: spans of service {} to {}", config.serviceName(), config.otlpEndpoint());
    return start(config, OtlpGrpcSpanExporter.builder().setEndpoint(config.otlpEndpoint()).build());
  }

  /** Tracing as {@code config} says, spans to {@code exporter} (not used when it is off). */
  public static Tracing start(TracingConfig config, SpanExporter exporter) {
    if (config == null || !config.enabled()) {
      return OFF;
    }
    return new Tracing(
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(Resource.create(Attributes.of(SERVICE_NAME, config.serviceName()))))
            .setIdGenerator(WorkflowSpanIds.generator())
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build());
  }

  /** Whether spans are made at all. */
  public boolean enabled() {
    return provider != null;
  }

  /** For the workflow client: a span for each start, signal, update and query. */
  public List<WorkflowClientInterceptor> clientInterceptors() {
    return enabled() ? List.of(new TracingClientInterceptor(tracer())) : List.of();
  }

  /** For the worker: a span for each workflow run and activity attempt. */
  public List<WorkerInterceptor> workerInterceptors() {
    return enabled() ? List.of(new TracingWorkerInterceptor(tracer())) : List.of();
  }

  /** Sends the batched spans now; for tests. */
  void flush() {
    if (enabled()) {
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    }
  }

  /** Sends what is still batched (waiting up to ten seconds) and stops the exporter. */
  @Override
  public void close() {
    if (enabled()) {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private Tracer tracer() {
    return provider.get("io.breakglass");
  }
}
