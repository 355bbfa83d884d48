package io.breakglass.worker.rotation;

import io.breakglass.workflows.activities.SecretActivities;
import io.breakglass.workflows.messages.values.NewVersion;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real secret activities, except that the first {@code createVersion} is held before it
 * creates anything until {@link #release()} or until a discard has been attempted. It never
 * heartbeats, like the real one: it cannot learn of a cancel and always goes on to create the
 * version, so a workflow that compensated without waiting for it is left with a PENDING version.
 */
final class HeldCreateVersion implements SecretActivities {

  private final SecretActivities real;
  private final AtomicBoolean taken = new AtomicBoolean();
  private final AtomicReference<String> heldSecret = new AtomicReference<>();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean discardedWhileHeld;

  HeldCreateVersion(SecretActivities real) {
    this.real = real;
  }

  @Override
  public NewVersion createVersion(VersionRequest request) {
    if (!taken.compareAndSet(false, true)) {
      return real.createVersion(request);
    }
    heldSecret.set(request.secret());
    entered.countDown();
    try {
      if (!released.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("createVersion of " + request.secret() + " was never released");
      }
      return real.createVersion(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while held", e);
    } finally {
      ended.countDown();
    }
  }

  @Override
  public void discardVersion(VersionRequest request) {
    if (entered.getCount() == 0 && ended.getCount() > 0) {
      discardedWhileHeld = true;
    }
    real.discardVersion(request);
    released.countDown();
  }

  @Override
  public void promote(VersionRequest request) {
    real.promote(request);
  }

  @Override
  public void restoreLabels(NewVersion change) {
    real.restoreLabels(change);
  }

  @Override
  public void revoke(VersionRequest request) {
    real.revoke(request);
  }

  /** Lets the held createVersion go on and create its version. */
  void release() {
    released.countDown();
  }

  /** Waits until the held createVersion has started; returns the secret it creates a version of. */
  String awaitHeld(Duration timeout) throws InterruptedException {
    if (!entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("createVersion was not called within " + timeout);
    }
    return heldSecret.get();
  }

  /** Waits until the held createVersion has returned (or failed). */
  void awaitEnded(Duration timeout) throws InterruptedException {
    if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the held createVersion did not end within " + timeout);
    }
  }

  /** Whether a discard ran while createVersion was still in flight: the race a cancel must not run. */
  boolean discardedWhileHeld() {
    return discardedWhileHeld;
  }
}
