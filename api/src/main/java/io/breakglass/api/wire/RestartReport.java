package io.breakglass.api.wire;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/rotations/{id}/restarts/{deployment}}: an operator's report on a restart the
 * manual deployment target asked for.
 *
 * @param ready true when every pod came back ready; false rolls the rotation back
 * @param comment what they saw
 */
public record RestartReport(
    @NotNull Boolean ready, @NotBlank @Size(max = 2000) @FreeText String comment) {}
