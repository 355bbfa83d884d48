package io.breakglass.activities.config;

import jakarta.validation.constraints.NotBlank;
import java.util.List;

/**
 * The entries of a container's {@code secrets} that carry one secret's versions, as environment
 * variables ECS resolves from Secrets Manager when a task starts.
 *
 * @param secret the secret (one the deployment reads, kept in Secrets Manager under its ARN)
 * @param container the container definition's name
 * @param current the variable that names the primary version, e.g. {@code ARTIFACT_KEY}
 * @param previous the variables that name the decrypt-only versions, in keyring order; an entry
 *     with no version to name is removed from the task definition
 * @param jsonKey the key of a JSON secret value to read, or null for the whole value
 */
public record EcsSecretReference(
    @NotBlank String secret,
    @NotBlank String container,
    @NotBlank String current,
    List<String> previous,
    String jsonKey) {

  public EcsSecretReference {
    previous = previous == null ? List.of() : List.copyOf(previous);
  }
}
