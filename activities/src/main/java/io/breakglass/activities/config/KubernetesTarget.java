package io.breakglass.activities.config;

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
 */
public record KubernetesTarget(
    String namespace, @NotBlank String deployment, @NotBlank String keyringSecret, Duration rolloutTimeout) {

  public KubernetesTarget {
    rolloutTimeout = rolloutTimeout == null ? Duration.ofMinutes(10) : rolloutTimeout;
  }
}
