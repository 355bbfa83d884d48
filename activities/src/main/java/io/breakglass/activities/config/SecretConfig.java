package io.breakglass.activities.config;

import io.breakglass.workflows.messages.values.SecretKind;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A secret Breakglass may rotate.
 *
 * @param name the runbook name, e.g. {@code artifact-encryption-key}
 * @param kind how new versions are made
 */
public record SecretConfig(
    @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}") String name,
    @NotNull SecretKind kind) {}
