package io.breakglass.activities.deploy;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.EcsTarget;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.deploy.ecs.EcsClients;
import io.breakglass.activities.deploy.ecs.EcsDeploymentTarget;
import io.breakglass.activities.deploy.kubernetes.KubernetesDeploymentTarget;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretState;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.DeploymentActivities;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.activity.Activity;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsClient;

/** {@link DeploymentActivities} over the configured deployment targets. */
public final class DeploymentActivitiesImpl implements DeploymentActivities {

  private final RotationSettings settings;
  private final SecretStore store;
  private final Map<String, DeploymentTarget> targets;

  public DeploymentActivitiesImpl(
      RotationSettings settings, SecretStore store, Map<String, DeploymentTarget> targets) {
    this.settings = settings;
    this.store = store;
    this.targets = Map.copyOf(targets);
  }

  /** How often a rollout is polled; each poll heartbeats. */
  private static final Duration ROLLOUT_POLL = Duration.ofSeconds(2);

  /**
   * Targets for every configured deployment that has one (the NONE target has nothing to do).
   *
   * @param store where targets that hand key material to a workload read it
   * @param kubernetes the client Kubernetes targets share, or null when none is configured
   * @param environment where reload-endpoint targets read their token variables
   */
  public static Map<String, DeploymentTarget> targets(
      RotationSettings settings,
      SecretStore store,
      KubernetesClient kubernetes,
      Function<String, String> environment) {
    return targets(settings, store, kubernetes, environment, ROLLOUT_POLL);
  }

  /**
   * {@link #targets(RotationSettings, SecretStore, KubernetesClient, Function)}, polling rollouts
   * every {@code poll}.
   */
  public static Map<String, DeploymentTarget> targets(
      RotationSettings settings,
      SecretStore store,
      KubernetesClient kubernetes,
      Function<String, String> environment,
      Duration poll) {
    return targets(
        settings,
        store,
        kubernetes,
        ecs -> EcsClients.open(settings.aws(), ecs),
        environment,
        poll);
  }

  /**
   * {@link #targets(RotationSettings, SecretStore, KubernetesClient, Function, Duration)} with the
   * ECS client of each ECS target made by {@code ecsClients}.
   */
  public static Map<String, DeploymentTarget> targets(
      RotationSettings settings,
      SecretStore store,
      KubernetesClient kubernetes,
      Function<EcsTarget, EcsClient> ecsClients,
      Function<String, String> environment,
      Duration poll) {
    Map<String, String> arns = new LinkedHashMap<>();
    settings.secrets().stream()
        .filter(s -> s.store() == SecretStoreType.AWS_SECRETS_MANAGER)
        .forEach(s -> arns.put(s.name(), s.awsSecretId()));
    Map<String, DeploymentTarget> targets = new LinkedHashMap<>();
    for (DeploymentConfig deployment : settings.deployments()) {
      switch (deployment.target()) {
        case NONE -> {}
        case MANUAL -> targets.put(deployment.name(), new ManualDeploymentTarget(deployment));
        case KUBERNETES ->
            targets.put(
                deployment.name(),
                new KubernetesDeploymentTarget(
                    deployment,
                    kubernetes,
                    store::material,
                    progress -> Activity.getExecutionContext().heartbeat(progress),
                    poll));
        case RELOAD_ENDPOINT ->
            targets.put(
                deployment.name(), new ReloadEndpointDeploymentTarget(deployment, environment));
        case ECS ->
            targets.put(
                deployment.name(),
                new EcsDeploymentTarget(
                    deployment,
                    arns,
                    ecsClients.apply(deployment.ecs()),
                    state -> Activity.getExecutionContext().heartbeat(state),
                    poll));
      }
    }
    return targets;
  }

  /**
   * The deployment's keyring; a secret it reads but has no entry for yet is reported as the store
   * has it (CURRENT primary, PREVIOUS decrypt-only), which is what it runs with.
   */
  @Override
  public KeyringSpec readKeyring(DeploymentRequest request) {
    DeploymentConfig deployment = deployment(request.deployment());
    KeyringSpec published = io(() -> target(deployment.name()).read());
    Set<String> present =
        published.entries().stream().map(KeyringEntry::secret).collect(Collectors.toSet());
    List<KeyringEntry> entries = new ArrayList<>(published.entries());
    for (String secret : deployment.secrets()) {
      if (!present.contains(secret)) {
        entries.add(fromStore(secret));
      }
    }
    return new KeyringSpec(deployment.name(), entries);
  }

  @Override
  public void publishKeyring(KeyringSpec keyring) {
    DeploymentTarget target = target(keyring.deployment());
    io(
        () -> {
          target.publish(keyring);
          return null;
        });
  }

  @Override
  public RestartOutcome restart(RestartRequest request) {
    return io(() -> target(request.deployment()).restart(request.rotationId(), request.reason()));
  }

  @Override
  public RestartOutcome undoRestart(RestartRequest request) {
    if (!(target(request.deployment()) instanceof RolloutUndo undo)) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "deployment " + request.deployment() + " keeps no revisions to undo a restart to");
    }
    return io(() -> undo.undoRestart(request.rotationId(), request.reason()));
  }

  private KeyringEntry fromStore(String secret) {
    try {
      SecretState state = store.describe(secret);
      String primary =
          state
              .labelled(Label.CURRENT)
              .map(SecretVersion::versionId)
              .orElseThrow(
                  () ->
                      RotationErrors.INVALID_CONFIGURATION.failure(
                          secret + " has no CURRENT version"));
      List<String> readable =
          state.labelled(Label.PREVIOUS).map(v -> List.of(v.versionId())).orElse(List.of());
      return new KeyringEntry(secret, primary, readable);
    } catch (SecretStoreException e) {
      throw e.error().failure(e.getMessage());
    }
  }

  private DeploymentConfig deployment(String name) {
    return settings.deployments().stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                RotationErrors.INVALID_CONFIGURATION.failure(
                    "no deployment called " + name + " is configured"));
  }

  private DeploymentTarget target(String name) {
    DeploymentTarget target = targets.get(name);
    if (target == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "deployment " + name + " has no rollout target (target NONE or not configured)");
    }
    return target;
  }

  private interface Io<T> {
    T run();
  }

  /** File problems with a keyring are worth retrying (a full disk, a remounted volume). */
  private static <T> T io(Io<T> action) {
    try {
      return action.run();
    } catch (UncheckedIOException e) {
      throw RotationErrors.DEPLOYMENT_UNAVAILABLE.failure(
          e.getMessage() + ": " + e.getCause().getMessage());
    }
  }
}
