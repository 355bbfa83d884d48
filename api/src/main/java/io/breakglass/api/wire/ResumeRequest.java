package io.breakglass.api.wire;

import io.breakglass.workflows.messages.values.ResumeAction;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/rotations/{id}/resume}: the decision a waiting rotation asks for; the status's
 * {@code pendingDecision.allowed} lists the actions that apply.
 *
 * @param action what to do
 * @param comment why
 */
public record ResumeRequest(
    @NotNull ResumeAction action, @NotBlank @Size(max = 2000) @FreeText String comment) {}
