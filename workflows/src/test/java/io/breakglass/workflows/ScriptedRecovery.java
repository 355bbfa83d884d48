package io.breakglass.workflows;

import io.breakglass.workflows.activities.RecoveryActivities;
import io.breakglass.workflows.messages.commands.RecoveryRequest;
import io.breakglass.workflows.messages.values.DeploymentPlan;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.GatePolicy;
import io.breakglass.workflows.messages.values.RecoveryPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** A completed rotation's revoke, revoked an hour ago, recoverable for seven days. */
final class ScriptedRecovery implements RecoveryActivities {

  private final Supplier<GatePolicy> policy;
  private final Supplier<Instant> now;

  ScriptedRecovery(Supplier<GatePolicy> policy, Supplier<Instant> now) {
    this.policy = policy;
    this.now = now;
  }

  @Override
  public RecoveryPlan planRecovery(RecoveryRequest request) {
    return new RecoveryPlan(
        request.rotationId(),
        request.secret(),
        "v-old",
        now.get().minus(Duration.ofHours(1)),
        Duration.ofDays(7),
        policy.get(),
        List.of(
            new DeploymentPlan(
                ScriptedActivities.DEPLOYMENT,
                DeploymentTargetType.RELOAD_ENDPOINT,
                List.of(request.secret()))),
        10);
  }
}
