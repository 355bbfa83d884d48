package io.breakglass.workflows.activities;

import io.breakglass.workflows.messages.commands.RecoveryRequest;
import io.breakglass.workflows.messages.values.RecoveryPlan;
import io.temporal.activity.ActivityInterface;

/** The way back after REVOKE: what a rotation revoked, when, and under which gate policy. */
@ActivityInterface
public interface RecoveryActivities {

  /**
   * Reads the rotation's stored record and timeline (PostgreSQL), the secret store and
   * configuration. The rotation must have COMPLETED (its CLOSE recorded), must have rotated the
   * secret, and the store must show a version of it that this rotation revoked and that is still
   * revoked. The window is not checked here: the workflow checks it in workflow time. Read-only, so
   * safe to retry.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code NOT_RECOVERABLE} naming what is missing,
   *     {@code AUDIT_UNAVAILABLE} or {@code SECRET_STORE_UNAVAILABLE} (retried)
   */
  RecoveryPlan planRecovery(RecoveryRequest request);
}
