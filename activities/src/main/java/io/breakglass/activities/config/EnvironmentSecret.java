package io.breakglass.activities.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/**
 * A Kubernetes Secret whose keys the pods read as environment variables at start: the material of
 * the versions the keyring names, written beside the keyring document whenever it is published.
 *
 * @param name the Secret (in the Deployment's namespace); it must exist, and may be the keyring
 *     Secret itself
 * @param keys which keys carry which secret's versions
 */
public record EnvironmentSecret(
    @NotBlank String name, @NotEmpty @Valid List<EnvironmentKeys> keys) {}
