package io.breakglass.activities.deploy;

import io.breakglass.workflows.activities.DeploymentActivities.RestartOutcome;

/** A deployment target that keeps revisions, so a restart can be undone (Kubernetes). */
public interface RolloutUndo {

  /**
   * Puts the workload back on the pod template it ran before the restart that {@code rotationId}
   * made for {@code reason}, and waits for that rollout. Does nothing when that restart never
   * happened or was undone already, so it can be retried.
   */
  RestartOutcome undoRestart(String rotationId, String reason);
}
