package io.breakglass.api.wire;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of an approval, rejection, halt or cancellation: why, for the timeline and the audit.
 *
 * @param comment for humans (tabs and line breaks allowed, no other control characters); never
 *     secret material
 */
public record Comment(@NotBlank @Size(max = 2000) @FreeText String comment) {}
