package io.breakglass.api.auth;

import jakarta.validation.Valid;
import java.util.List;

/**
 * Who may call the API: static bearer tokens (hashes only) and, optionally, OIDC JWTs.
 *
 * @param tokens static tokens; names must be unique
 * @param oidc JWT validation against a JWKS, or null for static tokens only
 */
public record AuthConfig(@Valid List<TokenConfig> tokens, @Valid OidcConfig oidc) {

  public AuthConfig {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    long names = tokens.stream().map(TokenConfig::name).distinct().count();
    if (names != tokens.size()) {
      throw new IllegalArgumentException("api.auth.tokens: every token needs a name of its own");
    }
  }
}
