package io.breakglass.worker;

import io.temporal.activity.Activity;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link ProbeActivities} that answers, takes its time, or blocks until interrupted. */
public final class ProbeActivity implements ProbeActivities {

  private final CountDownLatch started = new CountDownLatch(1);
  private final AtomicInteger completions = new AtomicInteger();
  private final String worker;
  private final Duration takes;

  private ProbeActivity(String worker, Duration takes) {
    this.worker = worker;
    this.takes = takes;
  }

  public static ProbeActivity answering(String worker) {
    return new ProbeActivity(worker, Duration.ZERO);
  }

  public static ProbeActivity taking(String worker, Duration takes) {
    return new ProbeActivity(worker, takes);
  }

  /** Never answers on its own: it ends only by being interrupted. */
  public static ProbeActivity blocking(String worker) {
    return new ProbeActivity(worker, null);
  }

  @Override
  public String work(String input) {
    started.countDown();
    try {
      if (takes == null) {
        new CountDownLatch(1).await();
      } else {
        Thread.sleep(takes.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
    completions.incrementAndGet();
    return input + " by " + worker;
  }

  /** Waits until an attempt has started here. */
  public boolean awaitStarted(Duration timeout) throws InterruptedException {
    return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Attempts that ran to their end here. */
  public int completions() {
    return completions.get();
  }
}
