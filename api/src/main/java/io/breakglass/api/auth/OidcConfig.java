package io.breakglass.api.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * OIDC access tokens (JWTs) accepted beside the static tokens: signed RS256 or ES256 by a key of
 * {@code jwksUrl}, issued by {@code issuer} for {@code audience}, not expired. A caller's roles are
 * the Breakglass role names its {@code rolesClaim} lists, plus those its claim values earn by
 * {@code roleMappings} (an identity provider's groups or scopes).
 *
 * @param issuer the required {@code iss}
 * @param audience the required {@code aud}
 * @param jwksUrl where the issuer publishes its signing keys
 * @param nameClaim the claim that names the caller (default {@code sub})
 * @param rolesClaim the claim listing role names (default {@code roles}); unknown names are ignored
 * @param clockSkew tolerance for {@code exp} and {@code nbf} (default 60 s)
 * @param roleMappings roles earned by claim values (none by default)
 */
public record OidcConfig(
    @NotBlank String issuer,
    @NotBlank String audience,
    @NotNull URI jwksUrl,
    String nameClaim,
    String rolesClaim,
    Duration clockSkew,
    @Valid List<RoleMapping> roleMappings) {

  public OidcConfig {
    nameClaim = nameClaim == null || nameClaim.isBlank() ? "sub" : nameClaim;
    rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
    clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
    roleMappings = roleMappings == null ? List.of() : List.copyOf(roleMappings);
  }

  /** Without role mappings: roles come from {@code rolesClaim} only. */
  public OidcConfig(
      String issuer,
      String audience,
      URI jwksUrl,
      String nameClaim,
      String rolesClaim,
      Duration clockSkew) {
    this(issuer, audience, jwksUrl, nameClaim, rolesClaim, clockSkew, List.of());
  }
}
