package io.breakglass.activities.config;

import jakarta.validation.constraints.NotBlank;
import java.util.Map;

/**
 * A smoke check that authenticates the way the service's callers do: with an HS256 JWT signed by a
 * version of a signing secret, sent as {@code Authorization: Bearer <token>}. SMOKE_TEST signs it
 * with the version this rotation made (or the CURRENT one when the secret is not rotated) and the
 * check's own assertions apply; after REVOKE the same request signed with the revoked version must
 * be refused with {@code refusedStatus}. The token carries {@code kid} = the version's key id,
 * {@code sub}, {@code iat}, a five-minute {@code exp} and {@code claims}; neither the token nor the
 * secret is ever logged or reported.
 *
 * @param secret the signing secret (kind SIGNING_SECRET) whose versions sign the token
 * @param claims further claims the service requires (e.g. {@code iss}, {@code aud}), as text
 * @param refusedStatus the status a token of a revoked version must get (default 401)
 */
public record JwtCheckConfig(
    @NotBlank String secret, Map<String, String> claims, Integer refusedStatus) {

  public JwtCheckConfig {
    claims = claims == null ? Map.of() : Map.copyOf(claims);
    refusedStatus = refusedStatus == null ? 401 : refusedStatus;
  }

  /** A token of {@code secret} with no further claims, refused with 401 once revoked. */
  public JwtCheckConfig(String secret) {
    this(secret, null, null);
  }
}
