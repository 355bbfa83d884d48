package io.breakglass.worker.rotation;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One forward activity call held in flight for a cancel test. The first call that {@link #enter()}s
 * waits until {@link #release()} or until a compensation is attempted; {@link #compensating()}
 * records whether that compensation ran while the call was still in flight, the race a cancelled
 * rotation must never run.
 */
final class HeldCall {

  private final String name;
  private final AtomicBoolean taken = new AtomicBoolean();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean compensatedInFlight;

  HeldCall(String name) {
    this.name = name;
  }

  /** Whether this call is the one to hold: true for the first call only. */
  boolean take() {
    return taken.compareAndSet(false, true);
  }

  /** Called by the held call when it starts; blocks until it may go on. */
  void enter() {
    entered.countDown();
    try {
      if (!released.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException(name + " was never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " interrupted while held", e);
    }
  }

  /** Called by the held call when it returns or fails. */
  void end() {
    ended.countDown();
  }

  /**
   * Called by a compensation after it ran; lets the held call go on. The same activity called
   * before the held call started (a forward step) is no compensation and changes nothing.
   */
  void compensating() {
    if (entered.getCount() > 0) {
      return;
    }
    if (ended.getCount() > 0) {
      compensatedInFlight = true;
    }
    released.countDown();
  }

  /** Lets the held call go on. */
  void release() {
    released.countDown();
  }

  void awaitEntered(Duration timeout) throws InterruptedException {
    if (!entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " was not called within " + timeout);
    }
  }

  void awaitEnded(Duration timeout) throws InterruptedException {
    if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the held " + name + " did not end within " + timeout);
    }
  }

  /** Whether a compensation ran while the held call was still in flight. */
  boolean compensatedInFlight() {
    return compensatedInFlight;
  }
}
