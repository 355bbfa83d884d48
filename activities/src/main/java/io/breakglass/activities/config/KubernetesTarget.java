package io.breakglass.activities.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;

/**
 * A Kubernetes Deployment that reads its keyring from a Secret.
 *
 * @param namespace its namespace (default: the client's namespace)
 * @param deployment the Deployment's name
 * @param keyringSecret the Secret that holds its keyring
 * @param rolloutTimeout how long a rolling restart may take before it counts as failed (default:
 *     the Deployment's progress deadline plus a minute, at least 10 minutes)
 * @param environmentSecret the Secret the pods read their keys from as environment variables, or
 *     null when they resolve the keyring's versions themselves
 */
public record KubernetesTarget(
    String namespace,
    @NotBlank String deployment,
    @NotBlank String keyringSecret,
    Duration rolloutTimeout,
    @Valid EnvironmentSecret environmentSecret) {

  public KubernetesTarget {
    rolloutTimeout = rolloutTimeout == null ? Duration.ofMinutes(10) : rolloutTimeout;
  }

  /** A target whose pods read no key material from the environment. */
  public KubernetesTarget(
      String namespace, String deployment, String keyringSecret, Duration rolloutTimeout) {
    this(namespace, deployment, keyringSecret, rolloutTimeout, null);
  }
}
