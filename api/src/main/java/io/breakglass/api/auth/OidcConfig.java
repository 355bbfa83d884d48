package io.breakglass.api.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;

/**
 * OIDC access tokens (JWTs) accepted beside the static tokens: signed RS256 or ES256 by a key of
 * {@code jwksUrl}, issued by {@code issuer} for {@code audience}, not expired.
 *
 * @param issuer the required {@code iss}
 * @param audience the required {@code aud}
 * @param jwksUrl where the issuer publishes its signing keys
 * @param nameClaim the claim that names the caller (default {@code sub})
 * @param rolesClaim the claim listing role names (default {@code roles}); unknown names are ignored
 * @param clockSkew tolerance for {@code exp} and {@code nbf} (default 60 s)
 */
public record OidcConfig(
    @NotBlank String issuer,
    @NotBlank String audience,
    @NotNull URI jwksUrl,
    String nameClaim,
    String rolesClaim,
    Duration clockSkew) {

  public OidcConfig {
    nameClaim = nameClaim == null || nameClaim.isBlank() ? "sub" : nameClaim;
    rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
    clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
  }
}
