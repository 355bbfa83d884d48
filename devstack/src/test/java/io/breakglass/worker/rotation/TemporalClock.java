package io.breakglass.worker.rotation;

import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The time-skipping test server's time as a {@link Clock}: what workflows see as now. */
final class TemporalClock extends Clock {

  private final TestWorkflowEnvironment env;

  TemporalClock(TestWorkflowEnvironment env) {
    this.env = env;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("Temporal's time is UTC");
  }
}
