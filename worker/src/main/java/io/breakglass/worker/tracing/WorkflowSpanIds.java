package io.breakglass.worker.tracing;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A workflow run's span has ids derived from its run id, so every worker that runs or replays the
 * run (after a restart, a cache eviction) knows the span its activities and children hang under
 * without the workflow storing anything in its history, and the span, sent once when the run ends,
 * has exactly those ids.
 */
final class WorkflowSpanIds {

  private static final ThreadLocal<SpanContext> NEXT = new ThreadLocal<>();

  private WorkflowSpanIds() {}

  /**
   * The span context of run {@code runId}: in the trace of {@code parent} when it has one,
   * otherwise in a trace of its own, also derived from the run id.
   */
  static SpanContext of(String runId, SpanContext parent) {
    String traceId =
        parent.isValid() ? parent.getTraceId() : TraceId.fromBytes(digest("trace", runId, 16));
    TraceFlags flags = parent.isValid() ? parent.getTraceFlags() : TraceFlags.getSampled();
    TraceState state = parent.isValid() ? parent.getTraceState() : TraceState.getDefault();
    return SpanContext.create(traceId, SpanId.fromBytes(digest("span", runId, 8)), flags, state);
  }

  /** Runs {@code start}, which starts exactly one span: it gets the ids of {@code ids}. */
  static <T> T startWith(SpanContext ids, Supplier<T> start) {
    NEXT.set(ids);
    try {
      return start.get();
    } finally {
      NEXT.remove();
    }
  }

  /** Random ids, except for a span started inside {@link #startWith}. */
  static IdGenerator generator() {
    IdGenerator random = IdGenerator.random();
    return new IdGenerator() {
      @Override
      public String generateSpanId() {
        SpanContext next = NEXT.get();
        return next == null ? random.generateSpanId() : next.getSpanId();
      }

      @Override
      public String generateTraceId() {
        SpanContext next = NEXT.get();
        return next == null ? random.generateTraceId() : next.getTraceId();
      }
    };
  }

  private static byte[] digest(String purpose, String runId, int length) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] bytes =
          Arrays.copyOf(
              sha256.digest((purpose + ":" + runId).getBytes(StandardCharsets.UTF_8)), length);
      bytes[length - 1] |= 1; // all-zero ids are invalid
      return bytes;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
