package io.breakglass.activities.deploy.kubernetes;

import io.breakglass.workflows.RotationErrors;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Waits for a Deployment's rollout as {@code kubectl rollout status} does: done once the controller
 * has observed the latest spec and every replica is updated, ready and available with no old one
 * left; failed when the controller reports {@code ProgressDeadlineExceeded} or the timeout passes.
 */
final class Rollout {

  static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final Duration pollInterval;

  Rollout(KubernetesClient client, String namespace, String name, Duration pollInterval) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.pollInterval = pollInterval;
  }

  /**
   * Polls until the rollout completes, reporting each observation to {@code progress}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code RESTART_FAILED} when it fails or times
   *     out
   */
  RolloutProgress await(Duration timeout, Consumer<RolloutProgress> progress) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Deployment deployment =
          client.apps().deployments().inNamespace(namespace).withName(name).get();
      if (deployment == null) {
        throw RotationErrors.RESTART_FAILED.failure(
            "deployment " + namespace + "/" + name + " is gone");
      }
      RolloutProgress now = progress(deployment);
      progress.accept(now);
      if (now.complete()) {
        return now;
      }
      if (now.observedGeneration() >= now.generation() && deadlineExceeded(deployment)) {
        throw RotationErrors.RESTART_FAILED.failure(
            "rollout of " + now.deployment() + " exceeded its progress deadline: " + now);
      }
      if (System.nanoTime() - deadline > 0) {
        throw RotationErrors.RESTART_FAILED.failure(
            "rollout of " + now.deployment() + " not done within " + timeout + ": " + now);
      }
      sleep();
    }
  }

  /**
   * Whether the controller gave up on the rollout it has observed (its Progressing condition says
   * so).
   */
  static boolean deadlineExceeded(Deployment deployment) {
    List<DeploymentCondition> conditions =
        Optional.ofNullable(deployment.getStatus())
            .map(DeploymentStatus::getConditions)
            .orElse(List.of());
    return conditions.stream()
        .anyMatch(
            c ->
                "Progressing".equals(c.getType())
                    && PROGRESS_DEADLINE_EXCEEDED.equals(c.getReason()));
  }

  static boolean observed(Deployment deployment) {
    RolloutProgress progress = progress(deployment);
    return progress.observedGeneration() >= progress.generation();
  }

  static RolloutProgress progress(Deployment deployment) {
    DeploymentStatus status =
        Optional.ofNullable(deployment.getStatus()).orElseGet(DeploymentStatus::new);
    Integer replicas = deployment.getSpec().getReplicas();
    return new RolloutProgress(
        deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName(),
        orZero(deployment.getMetadata().getGeneration()),
        orZero(status.getObservedGeneration()),
        replicas == null ? 1 : replicas,
        orZero(status.getUpdatedReplicas()),
        orZero(status.getReadyReplicas()),
        orZero(status.getAvailableReplicas()),
        orZero(status.getReplicas()));
  }

  private void sleep() {
    try {
      Thread.sleep(pollInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // A worker shutting down: another attempt resumes the wait.
      throw RotationErrors.DEPLOYMENT_UNAVAILABLE.failure(
          "interrupted while waiting for the rollout of " + name);
    }
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
