package io.breakglass.workflows;

import com.uber.m3.tally.Scope;
import com.uber.m3.util.Duration;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The rotation's own metrics, through the workflow's metrics scope (which reports nothing while a
 * history is replayed, and adds no command): {@code breakglass_rotations{outcome}}, {@code
 * breakglass_phase_duration{phase}}, {@code breakglass_gate_wait{gate}} and {@code
 * breakglass_compensations{phase}}. Durations are workflow time.
 */
final class RotationMetrics {

  private RotationMetrics() {}

  static void rotationEnded(RotationState outcome) {
    scope("outcome", outcome.name().toLowerCase(Locale.ROOT))
        .counter("breakglass_rotations")
        .inc(1);
  }

  static void phaseEnded(Phase phase, Instant started) {
    scope("phase", phase.name())
        .timer("breakglass_phase_duration")
        .record(since(started.toEpochMilli()));
  }

  static void gateWaited(GateName gate, long startedMillis) {
    scope("gate", gate.name()).timer("breakglass_gate_wait").record(since(startedMillis));
  }

  static void compensationRan(Phase phase) {
    scope("phase", phase.name()).counter("breakglass_compensations").inc(1);
  }

  private static Scope scope(String tag, String value) {
    return Workflow.getMetricsScope().tagged(Map.of(tag, value));
  }

  private static Duration since(long startedMillis) {
    return Duration.ofMillis(Workflow.currentTimeMillis() - startedMillis);
  }
}
