package io.breakglass.workflows.approval;

import static io.breakglass.workflows.approval.ProofRefusedException.refused;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.workflows.messages.values.ApprovalPolicy;
import io.breakglass.workflows.messages.values.ApproverKey;
import io.breakglass.workflows.messages.values.Jwk;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a proof against an {@link ApprovalPolicy}: pure computation (JCA and JSON), with the
 * time passed in, so the workflow gets the same answer when it replays. Two kinds of proof:
 *
 * <ul>
 *   <li>a token of the configured identity provider (RS256, ES256 or EdDSA), checked for issuer,
 *       audience, expiry, signature against the identity provider's keys, and a {@code nonce} equal
 *       to {@link ProofBinding#nonce()}; the person is the configured name claim;
 *   <li>an {@link ApprovalStatement} signed with a registered Ed25519 key, checked for its issuer,
 *       that the key is registered to {@code sub}, the rotation and action, and an expiry neither
 *       past nor further ahead than the policy's statement lifetime.
 * </ul>
 *
 * Anything else ({@code alg: none}, HMAC, unknown key ids, malformed or oversized input) is refused
 * with the reason.
 */
public final class ProofVerifier {

  private static final int ECHOED = 60;

  private final ApprovalPolicy policy;
  private final List<Jwk> issuerKeys;

  /**
   * @param policy what counts as a proof
   * @param issuerKeys the identity provider's public keys, as last fetched (empty when none)
   */
  public ProofVerifier(ApprovalPolicy policy, List<Jwk> issuerKeys) {
    this.policy = policy;
    this.issuerKeys = issuerKeys == null ? List.of() : List.copyOf(issuerKeys);
  }

  /**
   * What {@code proof} proves for {@code binding} at {@code now}.
   *
   * @throws ProofRefusedException naming the rule it breaks; {@link
   *     ProofRefusedException#unknownIssuerKey()} when the identity provider's key is not held
   */
  public VerifiedProof verify(String proof, ProofBinding binding, Instant now)
      throws ProofRefusedException {
    CompactJws jws = CompactJws.parse(proof);
    if (jws.hasHeader("crit")) {
      throw refused("the proof's header names critical extensions, which are not understood");
    }
    String alg = jws.header("alg");
    Optional<JwsAlgorithm> algorithm = JwsAlgorithm.named(alg);
    if (algorithm.isEmpty()) {
      throw refused(
          (alg == null
                  ? "the proof's header names no alg"
                  : "the proof's alg " + echo(alg) + " is not accepted")
              + "; accepted: RS256, ES256, EdDSA"
              + ("none".equalsIgnoreCase(alg) ? " (an unsigned token proves nothing)" : ""));
    }
    String kid = jws.header("kid");
    if (kid == null || kid.isBlank()) {
      throw refused("the proof's header names no kid");
    }
    String issuer = jws.claim("iss");
    if (ApprovalStatement.ISSUER.equals(issuer)) {
      return statement(jws, algorithm.get(), kid, binding, now);
    }
    if (policy.issuer() != null && policy.issuer().equals(issuer)) {
      return token(jws, algorithm.get(), kid, binding, now);
    }
    throw refused(
        "the proof's issuer "
            + echo(issuer)
            + " is "
            + (policy.issuer() == null
                ? "not " + ApprovalStatement.ISSUER + ", and no identity provider is configured"
                : "neither the configured identity provider "
                    + policy.issuer()
                    + " nor "
                    + ApprovalStatement.ISSUER));
  }

  private VerifiedProof token(
      CompactJws jws, JwsAlgorithm algorithm, String kid, ProofBinding binding, Instant now)
      throws ProofRefusedException {
    Jwk jwk =
        issuerKeys.stream()
            .filter(k -> kid.equals(k.kid()))
            .findFirst()
            .orElseThrow(
                () ->
                    ProofRefusedException.unknownIssuerKey(
                        "the identity provider has no key "
                            + echo(kid)
                            + " among the "
                            + issuerKeys.size()
                            + " key(s) fetched"));
    PublicKey key = PublicKeys.fromJwk(jwk, algorithm);
    if (!algorithm.verifies(key, signingInput(jws), jws.signature())) {
      throw refused(
          "the token's signature does not verify with the identity provider's key " + echo(kid));
    }
    if (!audienceMatches(jws.claimNode("aud"))) {
      throw refused("the token is not for the audience " + policy.audience());
    }
    notExpired(jws, now, "token");
    Long notBefore = jws.numericDate("nbf");
    if (notBefore != null && now.plus(policy.leeway()).isBefore(Instant.ofEpochSecond(notBefore))) {
      throw refused("the token is not valid before " + Instant.ofEpochSecond(notBefore));
    }
    notIssuedLater(jws, now, "token");
    if (!binding.nonce().equals(jws.claim("nonce"))) {
      throw refused(
          "the token's nonce is not the one for "
              + binding.action()
              + " of rotation "
              + binding.rotationId()
              + ": it was made for another rotation, gate or verdict");
    }
    String subject = jws.claim(policy.nameClaim());
    if (subject == null || subject.isBlank()) {
      throw refused("the token has no " + policy.nameClaim() + " claim naming the person");
    }
    return new VerifiedProof(subject.strip(), "oidc " + policy.issuer(), replayKey(jws));
  }

  private VerifiedProof statement(
      CompactJws jws, JwsAlgorithm algorithm, String kid, ProofBinding binding, Instant now)
      throws ProofRefusedException {
    if (algorithm != JwsAlgorithm.EdDSA) {
      throw refused("a signed statement uses EdDSA, not " + algorithm);
    }
    ApproverKey registered =
        policy.keys().stream()
            .filter(k -> kid.equals(k.keyId()))
            .findFirst()
            .orElseThrow(() -> refused("no approver key " + echo(kid) + " is registered"));
    PublicKey key = PublicKeys.registeredEd25519(registered.publicKey());
    if (!algorithm.verifies(key, signingInput(jws), jws.signature())) {
      throw refused(
          "the statement's signature does not verify with the registered key " + echo(kid));
    }
    String subject = jws.claim("sub");
    if (!PersonNames.same(subject, registered.person())) {
      throw refused(
          "the statement speaks for "
              + echo(subject)
              + ", but key "
              + echo(kid)
              + " is registered to "
              + registered.person());
    }
    if (!binding.rotationId().equals(jws.claim("rot"))) {
      throw refused(
          "the statement is for rotation "
              + echo(jws.claim("rot"))
              + ", not "
              + binding.rotationId());
    }
    if (!binding.action().equals(jws.claim("act"))) {
      throw refused("the statement is for " + echo(jws.claim("act")) + ", not " + binding.action());
    }
    Instant expires = notExpired(jws, now, "statement");
    Duration lifetime = policy.statementMaxLifetime();
    if (expires.isAfter(now.plus(lifetime).plus(policy.leeway()))) {
      throw refused(
          "the statement expires at "
              + expires
              + ", further ahead than the "
              + lifetime
              + " a statement may live");
    }
    notIssuedLater(jws, now, "statement");
    return new VerifiedProof(registered.person(), "ed25519 " + kid, replayKey(jws));
  }

  private boolean audienceMatches(JsonNode audience) {
    if (audience == null || policy.audience() == null) {
      return false;
    }
    if (audience.isTextual()) {
      return policy.audience().equals(audience.asText());
    }
    if (audience.isArray()) {
      for (JsonNode one : audience) {
        if (one.isTextual() && policy.audience().equals(one.asText())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The expiry, which must be present and (within the leeway) still ahead. */
  private Instant notExpired(CompactJws jws, Instant now, String what)
      throws ProofRefusedException {
    Long exp = jws.numericDate("exp");
    if (exp == null) {
      throw refused("the " + what + " has no exp");
    }
    Instant expires = Instant.ofEpochSecond(exp);
    if (!now.isBefore(expires.plus(policy.leeway()))) {
      throw refused("the " + what + " expired at " + expires);
    }
    return expires;
  }

  private void notIssuedLater(CompactJws jws, Instant now, String what)
      throws ProofRefusedException {
    Long issued = jws.numericDate("iat");
    if (issued != null && now.plus(policy.leeway()).isBefore(Instant.ofEpochSecond(issued))) {
      throw refused(
          "the " + what + " was issued in the future, at " + Instant.ofEpochSecond(issued));
    }
  }

  private static byte[] signingInput(CompactJws jws) {
    return jws.signingInput().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The same for every copy of one proof: the signature covers the header and claims as sent, so
   * they cannot change without it breaking, while the signature's own encoding might.
   */
  private static String replayKey(CompactJws jws) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(signingInput(jws));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException("SHA-256 is part of every JDK", missing);
    }
  }

  /** A value from the proof, quoted, shortened and stripped of control characters. */
  private static String echo(String value) {
    if (value == null) {
      return "(none)";
    }
    String printable =
        value
            .codePoints()
            .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return "'"
        + (printable.length() > ECHOED ? printable.substring(0, ECHOED) + "…" : printable)
        + "'";
  }
}
