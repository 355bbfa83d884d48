package io.breakglass.workflows.activities;

import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One rotation per secret: a durable lock per secret in PostgreSQL, held by a rotation from PLAN
 * until it ends. Only a holder whose workflow is still running blocks; the lock of a rotation that
 * ended without giving it back (terminated, timed out, never started) is taken over.
 */
@ActivityInterface
public interface SecretLockActivities {

  /**
   * Locks every secret of the request for the rotation, all or none, in one transaction. Idempotent
   * for the same rotation: a retry (after a worker crash, say) succeeds for its own holder and
   * reports the same take-overs. Refusing is a result, not a failure: {@link LockOutcome#heldBy()}
   * then names the running rotations in the way and nothing is locked.
   */
  LockOutcome acquire(LockRequest request);

  /** Gives back every lock the rotation holds; releasing what is not held does nothing. */
  void release(LockRelease release);

  /** {@code "secret X is being rotated by rotation r7"} for each holder, separated by "; ". */
  static String refusal(List<LockHolder> heldBy) {
    return heldBy.stream()
        .map(h -> "secret " + h.secret() + " is being rotated by rotation " + h.rotationId())
        .collect(Collectors.joining("; "));
  }

  /**
   * @param rotationId the rotation that wants the secrets
   * @param workflowId its workflow, described to tell whether it still runs
   * @param secrets the secrets it rotates
   */
  record LockRequest(String rotationId, String workflowId, List<String> secrets) {}

  /**
   * @param rotationId the rotation whose locks go back
   */
  record LockRelease(String rotationId) {}

  /**
   * @param secret the locked secret
   * @param rotationId the rotation holding it
   * @param workflowId that rotation's workflow
   * @param acquiredAt since when
   */
  record LockHolder(String secret, String rotationId, String workflowId, Instant acquiredAt) {}

  /**
   * @param secret the secret whose lock changed hands
   * @param fromRotationId the rotation that held it and whose workflow was no longer running
   */
  record Takeover(String secret, String fromRotationId) {}

  /**
   * @param heldBy the running rotations holding a requested secret; empty when the lock was granted
   * @param takenOver locks the rotation holds that it took over from rotations no longer running
   *     (also when an earlier call, or the API before the start, took them over)
   * @param newlyLocked the secrets this call locked (not already held by the rotation before it)
   */
  record LockOutcome(List<LockHolder> heldBy, List<Takeover> takenOver, List<String> newlyLocked) {}
}
