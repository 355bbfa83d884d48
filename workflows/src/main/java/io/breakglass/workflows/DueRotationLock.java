package io.breakglass.workflows;

import io.breakglass.workflows.activities.SecretLockActivities;
import io.breakglass.workflows.activities.SecretLockActivities.LockOutcome;
import io.breakglass.workflows.activities.SecretLockActivities.LockRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The secret's lock for a due routine rotation, taken before the rotation starts so that no other
 * rotation slips in before it. While a running rotation holds it, the due rotation waits and tries
 * again every {@link #CHECK_EVERY} instead of failing; {@link #waiting()} says why it waits. Used
 * by the durable timer and by the firings of the Temporal Schedule alike.
 */
final class DueRotationLock {

  private static final Logger log = ContextLogger.of(DueRotationLock.class);

  /** How often a due rotation looks again at a secret another rotation holds. */
  static final Duration CHECK_EVERY = Duration.ofMinutes(15);

  private final SecretLockActivities locks = RotationActivities.locks();
  private final Function<Instant, String> rotationIdAt;
  private final BooleanSupplier moved;
  private LockWait waiting;

  /**
   * @param rotationIdAt the id of the rotation to start, by the time it starts
   * @param moved true once the secret's date moved (the rotation holding the lock completed): the
   *     due rotation is then no longer due
   */
  DueRotationLock(Function<Instant, String> rotationIdAt, BooleanSupplier moved) {
    this.rotationIdAt = rotationIdAt;
    this.moved = moved;
  }

  /** Locks {@code secret}; returns the id of the rotation to start, or null when the date moved. */
  String take(String secret) {
    Instant since = now();
    while (true) {
      String rotationId = rotationIdAt.apply(now());
      String reason;
      try {
        LockOutcome outcome =
            locks.acquire(
                new LockRequest(
                    rotationId, RotationWorkflow.workflowId(rotationId), List.of(secret)));
        if (outcome.heldBy().isEmpty()) {
          waiting = null;
          return rotationId;
        }
        reason = SecretLockActivities.refusal(outcome.heldBy());
      } catch (ActivityFailure unchecked) {
        // Treated as held: a routine rotation must outlive an outage of the database or of
        // Temporal.
        reason =
            "the lock of secret "
                + secret
                + " could not be checked: "
                + Failures.describe(unchecked);
      }
      waiting = new LockWait(reason, since, now().plus(CHECK_EVERY));
      log.info("routine rotation of {} waits: {}", secret, reason);
      if (Workflow.await(CHECK_EVERY, moved::getAsBoolean)) {
        waiting = null;
        return null;
      }
    }
  }

  /** Why the due rotation waits for the lock; null when it does not. */
  LockWait waiting() {
    return waiting;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
