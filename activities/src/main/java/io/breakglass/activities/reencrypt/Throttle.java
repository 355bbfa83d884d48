package io.breakglass.activities.reencrypt;

import java.util.function.LongSupplier;

/**
 * Keeps a shard at or under its share of the data set's rate limit by pausing after a batch that
 * came too soon. Long pauses are cut into slices of at most a second with a keep-alive between
 * them, so the shard keeps heartbeating while it waits.
 */
public final class Throttle {

  /** Sleeps for a number of milliseconds. */
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private static final long SLICE_MILLIS = 1_000;

  private final int itemsPerSecond;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private final long startedAt;

  /**
   * @param itemsPerSecond the ceiling; 0 for none
   * @param nanoTime a monotonic clock in nanoseconds
   */
  public Throttle(int itemsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
    this.itemsPerSecond = itemsPerSecond;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.startedAt = nanoTime.getAsLong();
  }

  /** A throttle on the system clock. */
  public static Throttle of(int itemsPerSecond) {
    return new Throttle(itemsPerSecond, System::nanoTime, Thread::sleep);
  }

  /** Whether this throttle ever waits (it has a rate limit). */
  public boolean limits() {
    return itemsPerSecond > 0;
  }

  /**
   * Waits until {@code items} items since this throttle started are within the rate, calling {@code
   * keepAlive} between slices of the wait.
   */
  public void pace(long items, Runnable keepAlive) {
    if (itemsPerSecond <= 0) {
      return;
    }
    long dueMillis = items * 1_000 / itemsPerSecond;
    while (true) {
      long elapsedMillis = (nanoTime.getAsLong() - startedAt) / 1_000_000;
      long wait = dueMillis - elapsedMillis;
      if (wait <= 0) {
        return;
      }
      try {
        sleeper.sleep(Math.min(wait, SLICE_MILLIS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while pacing a shard", e);
      }
      keepAlive.run();
    }
  }
}
