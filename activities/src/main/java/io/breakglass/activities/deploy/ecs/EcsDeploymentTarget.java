package io.breakglass.activities.deploy.ecs;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.EcsSecretReference;
import io.breakglass.activities.config.EcsTarget;
import io.breakglass.activities.deploy.DeploymentTarget;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.DeploymentActivities.RestartOutcome;
import io.breakglass.workflows.activities.DeploymentActivities.RestartStatus;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * An Amazon ECS service whose containers read secrets from Secrets Manager as environment variables
 * when a task starts. Its keyring is the latest revision of the service's task definition family:
 * each configured container secret names a version ({@code valueFrom} with the version id), so ECS
 * hands the tasks exactly the versions the keyring names, and Breakglass never touches the
 * material.
 *
 * <ul>
 *   <li>publish: DescribeServices, DescribeTaskDefinition (the family's latest revision), and
 *       RegisterTaskDefinition of a copy whose secrets name the new versions, unless they do
 *       already;
 *   <li>restart: UpdateService to the family's latest revision, then DescribeServices until the
 *       PRIMARY deployment's {@code rolloutState} is COMPLETED. FAILED, a deployment ECS replaced,
 *       or the timeout puts the service back on the revision it ran before (UpdateService) and is a
 *       {@code RESTART_FAILED}.
 * </ul>
 */
public final class EcsDeploymentTarget implements DeploymentTarget {

  private final String deployment;
  private final EcsTarget target;
  private final Map<String, String> arns;
  private final EcsClient ecs;
  private final Consumer<String> heartbeat;
  private final Duration pollInterval;

  /**
   * @param config a deployment whose target is ECS
   * @param arns the Secrets Manager ARN of each secret a reference names
   * @param heartbeat told of the deployment's state at every poll (the activity's heartbeat)
   * @throws IllegalArgumentException when a reference names a secret the deployment does not read
   *     or one without an ARN
   */
  public EcsDeploymentTarget(
      DeploymentConfig config,
      Map<String, String> arns,
      EcsClient ecs,
      Consumer<String> heartbeat,
      Duration pollInterval) {
    if (config.ecs() == null) {
      throw new IllegalArgumentException(
          "deployment " + config.name() + ": an ECS target needs ecs");
    }
    for (EcsSecretReference reference : config.ecs().references()) {
      if (!config.secrets().contains(reference.secret())) {
        throw new IllegalArgumentException(
            "deployment "
                + config.name()
                + ": ecs.references names "
                + reference.secret()
                + ", which the deployment does not read "
                + config.secrets());
      }
      String arn = arns.get(reference.secret());
      if (arn == null || !arn.startsWith("arn:") || !arn.contains(":secretsmanager:")) {
        throw new IllegalArgumentException(
            "deployment "
                + config.name()
                + ": "
                + reference.secret()
                + " must be kept in AWS Secrets Manager with its full ARN as awsSecretId, so that ECS can name a version of it");
      }
    }
    this.deployment = config.name();
    this.target = config.ecs();
    this.arns = Map.copyOf(arns);
    this.ecs = ecs;
    this.heartbeat = heartbeat;
    this.pollInterval = pollInterval;
  }

  @Override
  public KeyringSpec read() {
    return api(
        () -> {
          TaskDefinition latest = latest(service());
          Map<String, KeyringEntry> entries = new LinkedHashMap<>();
          for (EcsSecretReference reference : target.references()) {
            Map<String, String> named = namedVersions(container(latest, reference), reference);
            String primary = named.get(reference.current());
            if (primary == null || entries.containsKey(reference.secret())) {
              continue;
            }
            List<String> decryptOnly = new ArrayList<>();
            reference.previous().stream()
                .map(named::get)
                .filter(v -> v != null)
                .forEach(decryptOnly::add);
            entries.put(
                reference.secret(), new KeyringEntry(reference.secret(), primary, decryptOnly));
          }
          return new KeyringSpec(deployment, List.copyOf(entries.values()));
        });
  }

  @Override
  public void publish(KeyringSpec change) {
    api(
        () -> {
          TaskDefinition latest = latest(service());
          List<ContainerDefinition> containers = new ArrayList<>(latest.containerDefinitions());
          for (KeyringEntry entry : change.entries()) {
            for (EcsSecretReference reference : target.references()) {
              if (reference.secret().equals(entry.secret())) {
                containers.replaceAll(
                    c ->
                        c.name().equals(reference.container())
                            ? referring(c, reference, entry)
                            : c);
              }
            }
          }
          if (!containers.equals(latest.containerDefinitions())) {
            ecs.registerTaskDefinition(TaskDefinitions.copy(latest, containers));
          }
          return null;
        });
  }

  @Override
  public RestartOutcome restart(String rotationId, String reason) {
    return api(
        () -> {
          Service service = service();
          String wanted = latest(service).taskDefinitionArn();
          String before = service.taskDefinition();
          if (!wanted.equals(before)) {
            update(wanted);
          } else {
            // A retried activity: the update went out; the revision before is the other
            // deployment's.
            before =
                service.deployments().stream()
                    .filter(d -> !"PRIMARY".equals(d.status()))
                    .map(Deployment::taskDefinition)
                    .findFirst()
                    .orElse(null);
          }
          String failure = await(wanted);
          if (failure == null) {
            return new RestartOutcome(
                deployment,
                RestartStatus.COMPLETED,
                where() + " runs " + revision(wanted) + " (" + reason + ")");
          }
          if (before == null || before.equals(wanted)) {
            throw RotationErrors.RESTART_FAILED.failure(
                where() + ": the deployment of " + revision(wanted) + " " + failure);
          }
          update(before);
          String rollback = await(before);
          throw RotationErrors.RESTART_FAILED.failure(
              where()
                  + ": the deployment of "
                  + revision(wanted)
                  + " "
                  + failure
                  + "; put back on "
                  + revision(before)
                  + (rollback == null ? ", steady" : ", which " + rollback));
        });
  }

  /**
   * The container with its reference entries naming the entry's versions; other secrets kept in
   * order.
   */
  private ContainerDefinition referring(
      ContainerDefinition container, EcsSecretReference reference, KeyringEntry entry) {
    List<String> decryptOnly = entry.decryptOnlyVersionIds();
    if (decryptOnly.size() > reference.previous().size()) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "container "
              + container.name()
              + " of "
              + deployment
              + " has "
              + reference.previous().size()
              + " previous secret(s) for "
              + entry.secret()
              + " but its keyring names "
              + decryptOnly.size()
              + " decrypt-only version(s) "
              + decryptOnly
              + ": add names to previous");
    }
    String arn = arns.get(reference.secret());
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(
        reference.current(),
        VersionReference.of(arn, reference.jsonKey(), entry.primaryVersionId()));
    for (int i = 0; i < decryptOnly.size(); i++) {
      wanted.put(
          reference.previous().get(i),
          VersionReference.of(arn, reference.jsonKey(), decryptOnly.get(i)));
    }
    List<Secret> secrets = new ArrayList<>();
    for (Secret secret : container.secrets()) {
      if (wanted.containsKey(secret.name())) {
        secrets.add(
            Secret.builder().name(secret.name()).valueFrom(wanted.remove(secret.name())).build());
      } else if (!reference.previous().contains(secret.name())) {
        secrets.add(secret);
      }
    }
    wanted.forEach(
        (name, valueFrom) -> secrets.add(Secret.builder().name(name).valueFrom(valueFrom).build()));
    return container.toBuilder().secrets(secrets).build();
  }

  /**
   * Variable name to the version id it names, for the reference's variables that name a version of
   * its secret.
   */
  private Map<String, String> namedVersions(
      ContainerDefinition container, EcsSecretReference reference) {
    Map<String, String> named = new LinkedHashMap<>();
    for (Secret secret : container.secrets()) {
      String versionId =
          VersionReference.versionId(secret.valueFrom(), arns.get(reference.secret()));
      if (versionId != null) {
        named.put(secret.name(), versionId);
      }
    }
    return named;
  }

  private ContainerDefinition container(TaskDefinition definition, EcsSecretReference reference) {
    return definition.containerDefinitions().stream()
        .filter(c -> c.name().equals(reference.container()))
        .findFirst()
        .orElseThrow(
            () ->
                RotationErrors.INVALID_CONFIGURATION.failure(
                    revision(definition.taskDefinitionArn())
                        + " of "
                        + deployment
                        + " has no container "
                        + reference.container()));
  }

  /**
   * Polls until the PRIMARY deployment of {@code wanted} is COMPLETED.
   *
   * @return null when it is, otherwise why it is not
   */
  private String await(String wanted) {
    long deadline = System.nanoTime() + target.rolloutTimeout().toNanos();
    while (true) {
      Deployment primary =
          service().deployments().stream()
              .filter(d -> "PRIMARY".equals(d.status()))
              .findFirst()
              .orElse(null);
      String state =
          primary == null
              ? "no PRIMARY deployment"
              : revision(primary.taskDefinition()) + " " + primary.rolloutStateAsString();
      heartbeat.accept(where() + ": " + state);
      if (primary != null && !wanted.equals(primary.taskDefinition())) {
        return "was replaced by a deployment of " + revision(primary.taskDefinition());
      }
      if (primary != null && primary.rolloutState() == DeploymentRolloutState.COMPLETED) {
        return null;
      }
      if (primary != null && primary.rolloutState() == DeploymentRolloutState.FAILED) {
        return "FAILED"
            + (primary.rolloutStateReason() == null ? "" : ": " + primary.rolloutStateReason());
      }
      if (System.nanoTime() - deadline > 0) {
        return "was not steady within " + target.rolloutTimeout() + " (" + state + ")";
      }
      try {
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        // A worker shutting down: another attempt resumes the wait.
        throw RotationErrors.DEPLOYMENT_UNAVAILABLE.failure(
            "interrupted while waiting for the deployment of " + where());
      }
    }
  }

  private void update(String taskDefinition) {
    ecs.updateService(
        r -> r.cluster(target.cluster()).service(target.service()).taskDefinition(taskDefinition));
  }

  private Service service() {
    List<Service> services =
        ecs.describeServices(r -> r.cluster(target.cluster()).services(target.service()))
            .services();
    if (services.isEmpty()) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "ECS service " + where() + " of " + deployment + " does not exist");
    }
    return services.get(0);
  }

  /** The latest ACTIVE revision of the family of the service's task definition. */
  private TaskDefinition latest(Service service) {
    String family = TaskDefinitions.family(service.taskDefinition());
    return ecs.describeTaskDefinition(r -> r.taskDefinition(family)).taskDefinition();
  }

  private String where() {
    return target.cluster() + "/" + target.service();
  }

  /** {@code family:revision} of a task definition ARN, for messages. */
  private static String revision(String taskDefinitionArn) {
    return taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf('/') + 1);
  }

  /**
   * An ECS that cannot be reached or answers with a server error is worth retrying; a missing
   * cluster or service is a configuration error. Messages name the operation's error code, never a
   * request body.
   */
  private <T> T api(Supplier<T> call) {
    try {
      return call.get();
    } catch (ClusterNotFoundException | ServiceNotFoundException | ServiceNotActiveException e) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "ECS service " + where() + " of " + deployment + ": " + e.awsErrorDetails().errorCode());
    } catch (EcsException e) {
      throw RotationErrors.DEPLOYMENT_UNAVAILABLE.failure(
          "ECS call for "
              + deployment
              + " ("
              + where()
              + ") failed: "
              + e.statusCode()
              + " "
              + (e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode()));
    } catch (SdkClientException e) {
      throw RotationErrors.DEPLOYMENT_UNAVAILABLE.failure(
          "ECS call for " + deployment + " (" + where() + ") got no answer");
    }
  }
}
