package io.breakglass.activities.deploy;

import io.breakglass.workflows.activities.DeploymentActivities.RestartOutcome;
import io.breakglass.workflows.messages.values.KeyringSpec;

/** How one workload gets its keyring and restarts (manual, Kubernetes). */
public interface DeploymentTarget {

  /** The keyring the workload reads now; secrets it has no entry for yet are left out. */
  KeyringSpec read();

  /** Replaces the entries of the secrets in {@code change}, keeping the others. Idempotent. */
  void publish(KeyringSpec change);

  /** Restarts the workload so it loads its keyring (or asks an operator to). */
  RestartOutcome restart(String rotationId, String reason);
}
