package io.breakglass.api.wire;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/rotations/{id}/versions/{secret}/unrevoke}: why the revoked version must be
 * usable again. The initiator is the caller.
 *
 * @param reason one line for the timeline and the approvers; never secret material
 */
public record Unrevoke(@NotBlank @Size(max = 2000) @FreeText String reason) {}
