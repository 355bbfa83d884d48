package io.breakglass.api.wire;

import io.breakglass.workflows.messages.values.RotationKind;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;

/**
 * {@code POST /api/rotations}: a rotation request without its initiator, which is always the
 * caller. Starting the same rotation id again with the same body returns the rotation already
 * started; another body is a conflict.
 *
 * @param rotationId 1-64 lower-case letters, digits and dashes; the workflow id is {@code
 *     rotation-<rotationId>}
 * @param secrets configured secrets to rotate
 * @param kind EMERGENCY or ROUTINE
 * @param reason why, for the timeline and the notifications
 * @param requiredApprovals approvers per gate, or null for the configured default
 * @param gateTimeout how long each gate waits (ISO-8601), or null for the default
 * @param initiatorProof who starts it, proven (a token or statement bound to this rotation's {@code
 *     START}, see {@link Decision#proof()}), or null for an unsigned start
 */
public record StartRotation(
    @NotNull @Pattern(regexp = Ids.ROTATION_ID, message = Ids.ROTATION_ID_RULE) String rotationId,
    @NotEmpty @Size(max = 32) List<@NotNull @Pattern(regexp = Ids.SECRET_NAME) String> secrets,
    @NotNull RotationKind kind,
    @NotBlank @Size(max = 2000) @FreeText String reason,
    @Min(1) @Max(10) Integer requiredApprovals,
    Duration gateTimeout,
    @Size(max = Proofs.MAX_LENGTH)
        @Pattern(regexp = Proofs.COMPACT_JWS, message = Proofs.COMPACT_JWS_RULE)
        String initiatorProof) {}
