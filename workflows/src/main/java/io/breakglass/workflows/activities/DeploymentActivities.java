package io.breakglass.workflows.activities;

import io.breakglass.workflows.messages.values.KeyringSpec;
import io.temporal.activity.ActivityInterface;

/** DISTRIBUTE, PROMOTE and REVOKE as the workloads see them: keyrings and restarts. */
@ActivityInterface
public interface DeploymentActivities {

  /** The keyring the deployment reads now (version ids only). Read-only. */
  KeyringSpec readKeyring(DeploymentRequest request);

  /**
   * Replaces the deployment's entries for the secrets in {@code keyring}; entries for other secrets
   * are kept. Idempotent: publishing the same keyring twice changes nothing.
   */
  void publishKeyring(KeyringSpec keyring);

  /**
   * Restarts the deployment so it loads its keyring. Targets that can watch the rollout return
   * {@code COMPLETED} once every replica is ready; the manual target asks an operator and returns
   * {@code AWAITING_OPERATOR}, and the workflow waits for the operator's {@code confirmRestart}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code RESTART_FAILED} when pods do not become
   *     ready
   */
  RestartOutcome restart(RestartRequest request);

  /**
   * Undoes the restart that {@code request} names (same rotation, deployment and reason): the
   * workload goes back to the pod template it ran before that restart, as {@code kubectl rollout
   * undo} does, and the rollout is awaited. Does nothing when that restart never happened or was
   * undone already, so it can be retried. Only for targets that keep revisions (KUBERNETES).
   *
   * @throws io.temporal.failure.ApplicationFailure {@code RESTART_FAILED} when the revision is gone
   *     or its pods do not become ready
   */
  RestartOutcome undoRestart(RestartRequest request);

  /**
   * @param rotationId the rotation
   * @param deployment the deployment
   */
  record DeploymentRequest(String rotationId, String deployment) {}

  /**
   * @param rotationId the rotation
   * @param deployment the deployment
   * @param reason why it restarts, shown to the operator (e.g. "DISTRIBUTE: new key decrypt-only")
   */
  record RestartRequest(String rotationId, String deployment, String reason) {}

  /** How a restart went. */
  enum RestartStatus {
    COMPLETED,
    AWAITING_OPERATOR
  }

  /**
   * @param deployment the deployment
   * @param status how it went
   * @param detail for the timeline: what was restarted, or what the operator was asked
   */
  record RestartOutcome(String deployment, RestartStatus status, String detail) {}
}
