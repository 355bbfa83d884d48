package io.breakglass.workflows;

import static io.breakglass.workflows.messages.values.TimelineEntry.SYSTEM_ACTOR;

import io.breakglass.workflows.activities.DeploymentActivities.RestartOutcome;
import io.breakglass.workflows.activities.DeploymentActivities.RestartRequest;
import io.breakglass.workflows.messages.commands.RestartConfirmation;
import io.breakglass.workflows.messages.values.DeploymentPlan;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Restarts of deployments: a target that watches its rollout answers at once; the manual target
 * asks an operator, and the rotation waits for {@code confirmRestart} (a report of "not ready", or
 * none within the restart timeout, is a {@code RESTART_FAILED}).
 */
final class Restarts {

  private final RotationContext rotation;
  private final Set<String> awaited = new LinkedHashSet<>();
  private final Map<String, RestartConfirmation> reports = new HashMap<>();

  Restarts(RotationContext rotation) {
    this.rotation = rotation;
  }

  void restart(DeploymentPlan deployment, String reason) {
    String name = deployment.name();
    // A manual restart is awaited before the request goes out: a quick operator may confirm before
    // it returns. Targets that watch their own rollout never wait for a person.
    if (deployment.target() == DeploymentTargetType.MANUAL) {
      awaited.add(name);
    }
    RestartOutcome outcome;
    try {
      outcome =
          rotation.activities.deployments.restart(
              new RestartRequest(rotation.rotationId(), name, reason));
    } catch (TemporalFailure failed) {
      awaited.remove(name);
      // A confirmation sent while this request was in flight is for it, not for the next restart.
      reports.remove(name);
      throw failed;
    }
    switch (outcome.status()) {
      case COMPLETED -> {
        awaited.remove(name);
        rotation.event(TimelineOutcome.SUCCEEDED, SYSTEM_ACTOR, outcome.detail());
      }
      case AWAITING_OPERATOR -> {
        awaited.add(name);
        awaitReport(name);
      }
    }
  }

  /**
   * Rolls a deployment back once its keyring is restored. A Kubernetes deployment goes back to the
   * revision before the restart made for {@code forward} ({@code kubectl rollout undo}); any other
   * target restarts again for {@code reason}. Old histories hold no Kubernetes target, so the
   * branch leaves their command sequence as it was.
   */
  void rollBack(DeploymentPlan deployment, String forward, String reason) {
    if (deployment.target() != DeploymentTargetType.KUBERNETES) {
      restart(deployment, reason);
      return;
    }
    RestartOutcome outcome =
        rotation.activities.deployments.undoRestart(
            new RestartRequest(rotation.rotationId(), deployment.name(), forward));
    rotation.event(TimelineOutcome.SUCCEEDED, SYSTEM_ACTOR, outcome.detail());
  }

  /**
   * The reason of restart attempt {@code attempt}: the first keeps {@code reason} as it is; each
   * later one differs, so a target that recognises a restart it already made starts a new rollout
   * rather than answering for the failed one.
   */
  static String attempt(String reason, int attempt) {
    return attempt == 1 ? reason : reason + " (attempt " + attempt + ")";
  }

  /** What {@link #rollBack} does to {@code deployment}, for the compensation's description. */
  static String rollBackVerb(DeploymentPlan deployment) {
    return deployment.target() == DeploymentTargetType.KUBERNETES ? "undo the restart" : "restart";
  }

  /** Signal {@code confirmRestart}. */
  void confirm(RestartConfirmation confirmation) {
    String deployment = confirmation.deployment();
    String operator = confirmation.operator();
    if (operator == null || operator.isBlank()) {
      rotation.refuse("confirmRestart", operator, "a confirmation needs the operator's name");
    } else if (!awaited.contains(deployment)) {
      rotation.refuse("confirmRestart", operator, "no restart of " + deployment + " is awaited");
    } else {
      reports.put(deployment, confirmation);
      rotation.event(
          confirmation.ready() ? TimelineOutcome.CONFIRMED : TimelineOutcome.FAILED,
          operator,
          deployment
              + (confirmation.ready() ? " ready" : " NOT ready")
              + ": "
              + confirmation.comment());
    }
  }

  List<String> awaited() {
    return List.copyOf(awaited);
  }

  private void awaitReport(String deployment) {
    Duration timeout = rotation.plan.policy().restartTimeout();
    boolean reported;
    RestartConfirmation report;
    try {
      reported = Workflow.await(timeout, () -> reports.containsKey(deployment));
    } finally {
      // Also when a cancel ends the wait: a confirmation must not carry over to the rollback.
      awaited.remove(deployment);
      report = reports.remove(deployment);
    }
    if (!reported) {
      throw RotationErrors.RESTART_FAILED.failure(
          "no operator confirmed the restart of " + deployment + " within " + timeout);
    }
    if (!report.ready()) {
      throw RotationErrors.RESTART_FAILED.failure(
          report.operator() + " reports " + deployment + " not ready: " + report.comment());
    }
  }
}
