package io.breakglass.worker.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.Header;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries a span context in a Temporal header: W3C {@code traceparent} (and {@code tracestate}) as
 * a JSON object under {@value #KEY}, the key Temporal's own tracing interceptors use. Headers are
 * not encrypted by the payload codec; a trace context holds nothing secret.
 */
final class TraceHeader {

  static final String KEY = "_tracer-data";

  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private TraceHeader() {}

  /** Writes the span context of {@code context} into {@code header}; nothing if it has none. */
  static void write(Header header, Context context) {
    Map<String, String> carrier = new LinkedHashMap<>();
    W3C.inject(context, carrier, Map::put);
    if (!carrier.isEmpty()) {
      header
          .getValues()
          .put(KEY, DefaultDataConverter.STANDARD_INSTANCE.toPayload(carrier).orElseThrow());
    }
  }

  /** The span context in {@code header} as a parent context; the root context if it has none. */
  static Context read(Header header) {
    Payload payload = header == null ? null : header.getValues().get(KEY);
    if (payload == null) {
      return Context.root();
    }
    Map<?, ?> raw =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, Map.class, Map.class);
    Map<String, String> carrier = new LinkedHashMap<>();
    raw.forEach((key, value) -> carrier.put(String.valueOf(key), String.valueOf(value)));
    return W3C.extract(Context.root(), carrier, GETTER);
  }
}
