package io.breakglass.api.http;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket that holds {@code capacity} tokens and refills them evenly over {@code period}.
 * Thread-safe.
 */
public final class TokenBucket {

  private final int capacity;
  private final double nanosPerToken;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledAt;

  public TokenBucket(int capacity, Duration period, LongSupplier nanoTime) {
    this.capacity = capacity;
    this.nanosPerToken = (double) period.toNanos() / capacity;
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.refilledAt = nanoTime.getAsLong();
  }

  /**
   * Takes one token.
   *
   * @return zero when a token was taken, else how long until one is available
   */
  public synchronized Duration take() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - refilledAt) / nanosPerToken);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil((1 - tokens) * nanosPerToken));
  }
}
