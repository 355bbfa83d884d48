package io.breakglass.activities.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.List;

/**
 * A workload that reads some secrets.
 *
 * @param name e.g. {@code backend}
 * @param target how it gets keyrings and restarts
 * @param secrets the secrets it reads
 * @param keyringFile for the manual target: where its keyring (version ids only) is published
 * @param kubernetes for the Kubernetes target: the Deployment and the Secret holding its keyring
 * @param reloadEndpoint for the reload-endpoint target (loopback, development and tests only): its
 *     keyring file and the endpoint that makes it re-read the file
 * @param ecs for the ECS target: the cluster, the service and which container secrets name which
 *     versions
 */
public record DeploymentConfig(
    @NotBlank String name,
    @NotNull DeploymentTargetType target,
    @NotEmpty List<String> secrets,
    Path keyringFile,
    @Valid KubernetesTarget kubernetes,
    @Valid ReloadEndpointTarget reloadEndpoint,
    @Valid EcsTarget ecs) {

  /** A deployment without an ECS target. */
  public DeploymentConfig(
      String name,
      DeploymentTargetType target,
      List<String> secrets,
      Path keyringFile,
      KubernetesTarget kubernetes,
      ReloadEndpointTarget reloadEndpoint) {
    this(name, target, secrets, keyringFile, kubernetes, reloadEndpoint, null);
  }

  /** An ECS target names its cluster, service and secret references. */
  @JsonIgnore
  @AssertTrue(message = "an ECS target needs ecs (cluster, service, secrets)")
  public boolean isEcsTargetNamed() {
    return target != DeploymentTargetType.ECS || ecs != null;
  }

  /** A deployment without a reload-endpoint target. */
  public DeploymentConfig(
      String name,
      DeploymentTargetType target,
      List<String> secrets,
      Path keyringFile,
      KubernetesTarget kubernetes) {
    this(name, target, secrets, keyringFile, kubernetes, null);
  }

  /** A KUBERNETES target names its Deployment and keyring Secret. */
  @JsonIgnore
  @AssertTrue(message = "a KUBERNETES target needs kubernetes (deployment and keyringSecret)")
  public boolean isKubernetesTargetNamed() {
    return target != DeploymentTargetType.KUBERNETES || kubernetes != null;
  }

  /** A RELOAD_ENDPOINT target names its keyring file, URL and token variable. */
  @JsonIgnore
  @AssertTrue(
      message = "a RELOAD_ENDPOINT target needs reloadEndpoint (keyringFile, url, tokenEnv)")
  public boolean isReloadEndpointNamed() {
    return target != DeploymentTargetType.RELOAD_ENDPOINT || reloadEndpoint != null;
  }

  /** A deployment without a Kubernetes target. */
  public DeploymentConfig(
      String name, DeploymentTargetType target, List<String> secrets, Path keyringFile) {
    this(name, target, secrets, keyringFile, null, null);
  }
}
