package io.breakglass.worker;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Set;

/**
 * Histogram buckets for the rotation's phase durations and gate waits, which run from seconds to a
 * day: a phase re-encrypting millions of items or a gate waiting overnight must still land in a
 * bucket below {@code +Inf}, so {@code histogram_quantile} gives a p95 that means something. The
 * SDK's reporter gives every timer Micrometer's generated percentile histogram, which ends at the
 * timer default of 30 seconds (everything longer lands in {@code +Inf}) with ~70 buckets; these two
 * timers get a fixed list of 16 bounds from 1 second to 24 hours instead.
 */
final class LongDurationBuckets implements MeterFilter {

  /** The timers the workflow reports through its metrics scope. */
  static final Set<String> TIMERS = Set.of("breakglass_phase_duration", "breakglass_gate_wait");

  private static final Duration[] BOUNDS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(15),
    Duration.ofMinutes(30),
    Duration.ofHours(1),
    Duration.ofHours(2),
    Duration.ofHours(4),
    Duration.ofHours(8),
    Duration.ofHours(12),
    Duration.ofHours(24),
  };

  @Override
  public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
    if (id.getType() != Meter.Type.TIMER || !TIMERS.contains(id.getName())) {
      return config;
    }
    double[] nanos = new double[BOUNDS.length];
    for (int i = 0; i < BOUNDS.length; i++) {
      nanos[i] = BOUNDS[i].toNanos();
    }
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(false)
        .serviceLevelObjectives(nanos)
        .build()
        .merge(config);
  }
}
