package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.SecretLockActivities;
import io.breakglass.workflows.activities.SecretLockActivities.LockOutcome;
import io.breakglass.workflows.activities.SecretLockActivities.LockRelease;
import io.breakglass.workflows.activities.SecretLockActivities.LockRequest;
import io.breakglass.workflows.activities.SecretLockActivities.Takeover;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * One rotation per secret, from the rotation's side: PLAN takes the lock on every secret of the
 * request, and the rotation gives it back however it ends (completed, rolled back, failed,
 * cancelled). A rotation terminated from Temporal runs no code; its lock is taken over by the next
 * rotation of the secret (see {@link SecretLockActivities}).
 */
final class SecretLock {

  private static final Logger log = ContextLogger.of(SecretLock.class);

  /** Histories recorded before secret locks replay without the lock's commands. */
  private static final String CHANGE_ID = "secret-lock";

  private final RotationContext rotation;

  /** Set before the acquire runs: a lock may be held even when its answer never came back. */
  private boolean requested;

  SecretLock(RotationContext rotation) {
    this.rotation = rotation;
  }

  /**
   * Locks the request's secrets; throws {@code SECRET_LOCKED} naming the rotation in flight when a
   * running rotation holds one. Takeovers from rotations no longer running go into the timeline.
   */
  void acquire() {
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return;
    }
    requested = true;
    LockOutcome outcome =
        rotation.activities.locks.acquire(
            new LockRequest(
                rotation.rotationId(),
                Workflow.getInfo().getWorkflowId(),
                rotation.request.secrets()));
    if (!outcome.heldBy().isEmpty()) {
      throw RotationErrors.SECRET_LOCKED.failure(SecretLockActivities.refusal(outcome.heldBy()));
    }
    for (Takeover takeover : outcome.takenOver()) {
      rotation.event(
          TimelineOutcome.SUCCEEDED,
          SYSTEM_ACTOR,
          "lock on "
              + takeover.secret()
              + " taken over from rotation "
              + takeover.fromRotationId()
              + ", whose workflow is no longer running");
    }
  }

  /**
   * Gives the locks back. A failure here never fails the rotation: it is logged, and the lock of an
   * ended rotation is taken over by the next one anyway.
   */
  void release() {
    if (!requested) {
      return;
    }
    try {
      rotation.activities.locks.release(new LockRelease(rotation.rotationId()));
    } catch (TemporalFailure notReleased) {
      log.warn(
          "secret locks of {} not released (the next rotation takes them over): {}",
          rotation.rotationId(),
          Failures.describe(notReleased));
    }
  }
}
