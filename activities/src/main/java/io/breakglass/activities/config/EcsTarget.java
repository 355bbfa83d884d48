package io.breakglass.activities.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * An Amazon ECS service whose containers read secrets from Secrets Manager at start. Region and
 * credentials are those of the AWS settings.
 *
 * @param cluster the cluster's name or ARN
 * @param service the service's name or ARN
 * @param references which container secrets name which secret's versions
 * @param rolloutTimeout how long a deployment may take to become steady before it counts as failed
 *     (default 15 minutes)
 * @param endpoint an endpoint override for ECS (VPC endpoint, tests), or null
 */
public record EcsTarget(
    @NotBlank String cluster,
    @NotBlank String service,
    @NotEmpty @Valid List<EcsSecretReference> references,
    Duration rolloutTimeout,
    URI endpoint) {

  public EcsTarget {
    rolloutTimeout = rolloutTimeout == null ? Duration.ofMinutes(15) : rolloutTimeout;
  }
}
