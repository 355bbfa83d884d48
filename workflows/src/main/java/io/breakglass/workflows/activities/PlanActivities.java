package io.breakglass.workflows.activities;

import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationPlan;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** PLAN: resolves configuration into what a rotation will do. */
@ActivityInterface
public interface PlanActivities {

  /**
   * Resolves the named secrets into a plan: their current versions, the data sets they protect
   * (with item counts and shards), the deployments that read them, gate policy and checks.
   * Read-only, so safe to retry.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code UNKNOWN_SECRET} for a secret that is not
   *     configured, {@code INVALID_REQUEST} when the requested approvals are below the minimum
   */
  RotationPlan plan(PlanRequest request);

  /**
   * @param rotationId the rotation
   * @param secrets secrets to rotate
   * @param kind emergency or routine (sets the default approvals)
   * @param requiredApprovals the request's override, or null
   * @param gateTimeout the request's override (ISO-8601), or null
   */
  record PlanRequest(
      String rotationId,
      List<String> secrets,
      RotationKind kind,
      Integer requiredApprovals,
      java.time.Duration gateTimeout) {}
}
