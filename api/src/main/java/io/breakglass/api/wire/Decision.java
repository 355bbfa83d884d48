package io.breakglass.api.wire;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of an approval or a rejection: why, and optionally who decides, proven. The decider is
 * always the caller; the proof is forwarded to the workflow, which verifies it.
 *
 * @param comment one line for humans; never secret material
 * @param proof an identity provider's ID token whose {@code nonce} binds it to this rotation, gate
 *     and verdict, or an approval statement signed with the caller's registered Ed25519 key; null
 *     for an unsigned decision
 * @param overridePreflight an approval of the proceed gate that overrides its failed pre-flight;
 *     the proof is then bound to {@code PROCEED:OVERRIDE}. Absent means false.
 */
public record Decision(
    @NotBlank @Size(max = 2000) @FreeText String comment,
    @Size(max = Proofs.MAX_LENGTH)
        @Pattern(regexp = Proofs.COMPACT_JWS, message = Proofs.COMPACT_JWS_RULE)
        String proof,
    Boolean overridePreflight) {

  /** True when the caller overrides a failed pre-flight. */
  public boolean overrides() {
    return Boolean.TRUE.equals(overridePreflight);
  }
}
