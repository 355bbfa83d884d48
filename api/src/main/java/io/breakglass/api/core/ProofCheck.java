package io.breakglass.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.api.auth.Caller;
import io.breakglass.api.auth.OidcConfig;
import io.breakglass.workflows.approval.ApprovalStatement;
import io.breakglass.workflows.approval.PersonNames;
import io.breakglass.workflows.approval.ProofBinding;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.ForbiddenException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * What the API can tell about a proof before it forwards it, so a client learns early that its
 * proof is for another action or another person. It reads the proof's claims without checking the
 * signature: the workflow holds the keys and is the authority, and a proof this check lets through
 * may still be refused there. A signed statement must name the caller as its {@code sub} (403
 * otherwise) and this request's rotation and action as {@code rot} and {@code act}; an identity
 * provider's token must carry this action's {@code nonce} (an access token carries none, so the one
 * the caller authenticated with is no proof); either must not have expired (422 otherwise).
 */
public final class ProofCheck {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);

  private final OidcConfig oidc;
  private final Clock clock;

  /**
   * @param oidc the API's own identity provider, whose name claim names the subject of its ID
   *     tokens; null when the API takes static tokens only (then an ID token's subject is left to
   *     the workflow)
   * @param clock for expiry
   */
  public ProofCheck(OidcConfig oidc, Clock clock) {
    this.oidc = oidc;
    this.clock = clock;
  }

  /**
   * Refuses a proof (in body field {@code field}) that cannot vouch for {@code caller} taking the
   * action {@code binding} names: 422 when it is unreadable, bound to something else or expired,
   * 403 when it speaks for someone else. A null proof passes (an unsigned request). A null binding
   * (an action whose binding the workflow alone defines) checks the subject and expiry, and that an
   * identity provider's token carries a nonce at all.
   */
  public void check(String field, String proof, Caller caller, ProofBinding binding) {
    if (proof == null) {
      return;
    }
    String[] parts = proof.split("\\.", -1);
    if (parts.length != 3) {
      throw unprocessable(
          field + " must be a compact JWS: three base64url parts separated by dots");
    }
    JsonNode header = part(field, parts[0]);
    JsonNode claims = part(field, parts[1]);
    if (ApprovalStatement.ISSUER.equals(claims.path("iss").asText(null))) {
      statement(field, header, claims, caller, binding);
    } else {
      identityToken(field, claims, caller, binding);
    }
    expiry(field, claims);
  }

  private static void statement(
      String field, JsonNode header, JsonNode claims, Caller caller, ProofBinding binding) {
    if (!"EdDSA".equals(header.path("alg").asText(null))) {
      throw unprocessable(field + ": a signed statement uses alg EdDSA (an Ed25519 key)");
    }
    String rotation = claims.path("rot").asText(null);
    String action = claims.path("act").asText(null);
    if (binding != null
        && (!binding.rotationId().equals(rotation) || !binding.action().equals(action))) {
      throw unprocessable(
          field
              + " is a statement for rotation "
              + rotation
              + ", action "
              + action
              + "; this request is rotation "
              + binding.rotationId()
              + ", action "
              + binding.action());
    }
    String subject = claims.path("sub").asText(null);
    if (!PersonNames.same(subject, caller.name())) {
      throw new ForbiddenException(
          field
              + " is a statement by "
              + (subject == null ? "nobody (no sub)" : subject)
              + ", but the caller is "
              + caller.name());
    }
  }

  private void identityToken(String field, JsonNode claims, Caller caller, ProofBinding binding) {
    String nonce = claims.path("nonce").asText(null);
    if (binding == null && nonce == null) {
      throw unprocessable(
          field
              + " carries no nonce, so it is bound to no action (an access token is not a proof)");
    }
    if (binding != null && !binding.nonce().equals(nonce)) {
      throw unprocessable(
          field
              + " is not bound to rotation "
              + binding.rotationId()
              + ", action "
              + binding.action()
              + ": an identity provider's ID token must carry nonce "
              + binding.nonce()
              + (nonce == null
                  ? " and this token carries none (an access token is not a proof)"
                  : ", not another"));
    }
    if (oidc != null && oidc.issuer().equals(claims.path("iss").asText(null))) {
      String subject = claims.path(oidc.nameClaim()).asText(null);
      if (!PersonNames.same(subject, caller.name())) {
        throw new ForbiddenException(
            field
                + " is a token of "
                + (subject == null ? "nobody (no " + oidc.nameClaim() + ")" : subject)
                + ", but the caller is "
                + caller.name());
      }
    }
  }

  private void expiry(String field, JsonNode claims) {
    JsonNode exp = claims.path("exp");
    if (!exp.canConvertToLong() || !exp.isIntegralNumber()) {
      throw unprocessable(field + " has no expiry (exp, in epoch seconds)");
    }
    Instant expired = Instant.ofEpochSecond(exp.asLong());
    Duration skew = oidc == null ? DEFAULT_SKEW : oidc.clockSkew();
    if (clock.instant().isAfter(expired.plus(skew))) {
      throw unprocessable(field + " expired at " + expired + "; make a new one");
    }
  }

  private static JsonNode part(String field, String base64url) {
    try {
      JsonNode json = JSON.readTree(Base64.getUrlDecoder().decode(base64url));
      if (json != null && json.isObject()) {
        return json;
      }
    } catch (IllegalArgumentException | IOException unreadable) {
      // refused below, in one message
    }
    throw unprocessable(
        field + " is not a readable JWS: its header and claims must be base64url JSON objects");
  }

  private static ClientErrorException unprocessable(String message) {
    return new ClientErrorException(message, 422);
  }
}
