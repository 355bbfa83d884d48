package io.breakglass.workflows.messages.values;

import java.time.Duration;
import java.util.List;

/**
 * How the workflow verifies who starts, approves and rejects, resolved from configuration at PLAN
 * so that every decision is checked against the same rules on replay. Names, URLs and public keys
 * only: the identity provider's signing keys are fetched by an activity, not carried here.
 *
 * @param allowUnsigned true where a decision without a proof is accepted, marked unverified (dev,
 *     demo, test beds); a proof that is given is always verified
 * @param issuer the identity provider whose tokens count ({@code iss}), or null for none
 * @param audience the {@code aud} such a token must carry
 * @param nameClaim the token claim that names the person ({@code preferred_username}, {@code
 *     email}, {@code sub})
 * @param leeway the clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}
 * @param statementMaxLifetime how far in the future a signed statement's {@code exp} may lie
 * @param keys the registered Ed25519 keys of signed statements
 */
public record ApprovalPolicy(
    boolean allowUnsigned,
    String issuer,
    String audience,
    String nameClaim,
    Duration leeway,
    Duration statementMaxLifetime,
    List<ApproverKey> keys) {

  public ApprovalPolicy {
    keys = keys == null ? List.of() : List.copyOf(keys);
    leeway = leeway == null ? Duration.ZERO : leeway;
    statementMaxLifetime =
        statementMaxLifetime == null ? Duration.ofHours(1) : statementMaxLifetime;
  }

  /**
   * Accepts unsigned decisions and verifies nothing else: what plans made without a policy mean.
   */
  public static ApprovalPolicy unsignedOnly() {
    return new ApprovalPolicy(
        true, null, null, null, Duration.ZERO, Duration.ofHours(1), List.of());
  }
}
