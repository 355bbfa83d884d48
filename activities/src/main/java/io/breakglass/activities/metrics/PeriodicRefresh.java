package io.breakglass.activities.metrics;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A refresh run now and then every interval on a daemon thread of its own, until closed: how the
 * gauges that read a store or Temporal stay current without a scrape ever doing I/O.
 */
public final class PeriodicRefresh implements AutoCloseable {

  private final ScheduledExecutorService schedule;

  private PeriodicRefresh(ScheduledExecutorService schedule) {
    this.schedule = schedule;
  }

  /**
   * Runs {@code refresh} now, then every {@code interval}; {@code refresh} logs its own failures.
   */
  public static PeriodicRefresh start(String threadName, Runnable refresh, Duration interval) {
    ScheduledExecutorService schedule =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, threadName);
              thread.setDaemon(true);
              return thread;
            });
    // Nothing waits on the periodic future: the refresh logs its failures, and close() stops it.
    Future<?> unused =
        schedule.scheduleWithFixedDelay(refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new PeriodicRefresh(schedule);
  }

  /** Stops the refresh; one under way is interrupted. */
  @Override
  public void close() {
    schedule.shutdownNow();
  }
}
