package io.breakglass.api.core;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the records still RUNNING with Temporal every {@link #EVERY}, so a rotation whose
 * workflow was terminated or lost is closed even when nobody lists rotations. Every API pod runs
 * one; closing a record is conditional on its still being RUNNING, so they never disagree.
 */
public final class RotationRecordSweep implements Managed {

  /** How often the records are compared with Temporal. */
  public static final Duration EVERY = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(RotationRecordSweep.class);

  private final RotationRecordReconciler reconciler;
  private final Duration every;
  private ScheduledExecutorService timer;
  private ScheduledFuture<?> schedule;

  public RotationRecordSweep(RotationRecordReconciler reconciler, Duration every) {
    this.reconciler = reconciler;
    this.every = every;
  }

  @Override
  public void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "rotation-record-sweep");
              thread.setDaemon(true);
              return thread;
            });
    schedule =
        timer.scheduleWithFixedDelay(this::sweep, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    schedule.cancel(true);
    timer.shutdownNow();
  }

  private void sweep() {
    try {
      int closed = reconciler.sweep();
      if (closed > 0) {
        log.warn(
            "closed {} rotation record(s) whose workflow had ended without closing them", closed);
      }
    } catch (RuntimeException e) {
      // The next sweep tries again; a failure must not cancel the schedule.
      log.warn("rotation record sweep failed: {}", e.toString());
    }
  }
}
