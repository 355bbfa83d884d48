package io.breakglass.activities.deploy.kubernetes;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.KubernetesTarget;
import io.breakglass.activities.deploy.DeploymentTarget;
import io.breakglass.activities.deploy.KeyMaterial;
import io.breakglass.activities.deploy.RolloutUndo;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.DeploymentActivities.RestartOutcome;
import io.breakglass.workflows.activities.DeploymentActivities.RestartStatus;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A Kubernetes Deployment that reads its keyring from a Secret: publishing updates the Secret with
 * optimistic locking, a restart is a rolling restart awaited until every replica is ready, and a
 * restart can be undone to the revision before it. When its pods read their keys as environment
 * variables, publishing also writes the material of the keyring's versions to that Secret first, so
 * a rollback that publishes the keyring before restores the keys before too.
 */
public final class KubernetesDeploymentTarget implements DeploymentTarget, RolloutUndo {

  private final String deployment;
  private final String where;
  private final Duration rolloutTimeout;
  private final KeyringSecret keyring;
  private final EnvironmentKeySecret environment;
  private final RollingRestart restarts;
  private final Rollout rollout;
  private final Consumer<RolloutProgress> heartbeat;

  /**
   * @param config a deployment whose target is KUBERNETES
   * @param client the API client; its namespace is used when the configuration names none
   * @param heartbeat told of the rollout's progress at every poll (the activity's heartbeat)
   * @param pollInterval how often the rollout is polled
   */
  public KubernetesDeploymentTarget(
      DeploymentConfig config,
      KubernetesClient client,
      Consumer<RolloutProgress> heartbeat,
      Duration pollInterval) {
    this(config, client, null, heartbeat, pollInterval);
  }

  /**
   * @param material where the material of the versions in an environment Secret is read; null only
   *     when the target has no environment Secret
   */
  public KubernetesDeploymentTarget(
      DeploymentConfig config,
      KubernetesClient client,
      KeyMaterial material,
      Consumer<RolloutProgress> heartbeat,
      Duration pollInterval) {
    KubernetesTarget target = config.kubernetes();
    if (target == null) {
      throw new IllegalArgumentException(
          "deployment " + config.name() + ": a Kubernetes target needs kubernetes");
    }
    String namespace = target.namespace() == null ? client.getNamespace() : target.namespace();
    this.deployment = config.name();
    this.where = namespace + "/" + target.deployment();
    this.rolloutTimeout = target.rolloutTimeout();
    this.keyring = new KeyringSecret(client, namespace, target.keyringSecret(), config.name());
    if (target.environmentSecret() != null && material == null) {
      throw new IllegalArgumentException(
          "deployment "
              + config.name()
              + ": an environment Secret needs the secret store to read key material from");
    }
    this.environment =
        target.environmentSecret() == null
            ? null
            : new EnvironmentKeySecret(
                client,
                namespace,
                target.environmentSecret(),
                config.name(),
                config.secrets(),
                material);
    this.restarts = new RollingRestart(client, namespace, target.deployment());
    this.rollout = new Rollout(client, namespace, target.deployment(), pollInterval);
    this.heartbeat = heartbeat;
  }

  @Override
  public KeyringSpec read() {
    return api(keyring::read);
  }

  @Override
  public void publish(KeyringSpec change) {
    api(
        () -> {
          // The keys first: the keyring document records what was published once both are written.
          if (environment != null) {
            environment.write(change);
          }
          keyring.merge(change);
          return null;
        });
  }

  @Override
  public RestartOutcome restart(String rotationId, String reason) {
    return api(
        () -> {
          restarts.start(restartName(rotationId, reason), Instant.now());
          RolloutProgress done = rollout.await(rolloutTimeout, heartbeat);
          return new RestartOutcome(
              deployment, RestartStatus.COMPLETED, "rolling restart of " + done);
        });
  }

  @Override
  public RestartOutcome undoRestart(String rotationId, String reason) {
    return api(
        () -> {
          Optional<String> revision = restarts.undo(restartName(rotationId, reason));
          if (revision.isEmpty()) {
            return new RestartOutcome(
                deployment,
                RestartStatus.COMPLETED,
                where + ": no restart for \"" + reason + "\" to undo");
          }
          RolloutProgress done = rollout.await(rolloutTimeout, heartbeat);
          return new RestartOutcome(
              deployment,
              RestartStatus.COMPLETED,
              "back on the pod template of revision " + revision.get() + ": " + done);
        });
  }

  /** What the pod template's restart annotation says: which rotation restarted it, and why. */
  private static String restartName(String rotationId, String reason) {
    return rotationId + ": " + reason;
  }

  /**
   * An API server that cannot be reached or answers with an error is worth retrying; the message
   * names the resource and the status, never a request body.
   */
  private <T> T api(Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      String status =
          e.getStatus() == null ? "no answer" : e.getCode() + " " + e.getStatus().getReason();
      throw RotationErrors.DEPLOYMENT_UNAVAILABLE.failure(
          "Kubernetes API call for " + deployment + " (" + where + ") failed: " + status);
    }
  }
}
