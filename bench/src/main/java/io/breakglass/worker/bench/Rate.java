package io.breakglass.worker.bench;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What one timed run did: items moved to a new key in a wall-clock time.
 *
 * @param run what ran, for the report
 * @param items items re-encrypted
 * @param elapsed wall-clock time
 */
public record Rate(String run, long items, Duration elapsed) {

  /** Items per second. */
  public double perSecond() {
    return items * 1e9 / Math.max(1, elapsed.toNanos());
  }

  /**
   * The faster of two measurements of the same run ({@code best} may be null): the one least
   * disturbed by the rest of the machine.
   */
  static Rate faster(Rate best, Rate next) {
    return best == null || next.perSecond() > best.perSecond() ? next : best;
  }

  /** Times {@code work}, which returns the items it moved. */
  static Rate time(String run, LongSupplier work) {
    long started = System.nanoTime();
    long items = work.getAsLong();
    return new Rate(run, items, Duration.ofNanos(System.nanoTime() - started));
  }
}
