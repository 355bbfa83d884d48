package io.breakglass.activities.lock;

import io.breakglass.workflows.activities.SecretLockActivities.LockHolder;
import java.time.Instant;

/**
 * One row of {@code breakglass.secret_locks}, read under a row lock.
 *
 * @param secret the locked secret
 * @param rotationId the holder
 * @param workflowId the holder's workflow
 * @param acquiredAt since when
 * @param takenOverFrom the rotation it was taken over from, or null
 * @param starting whether it was taken so recently that a holder Temporal does not know yet may
 *     still be starting
 */
public record LockRow(
    String secret,
    String rotationId,
    String workflowId,
    Instant acquiredAt,
    String takenOverFrom,
    boolean starting) {

  LockHolder holder() {
    return new LockHolder(secret, rotationId, workflowId, acquiredAt);
  }
}
