package io.breakglass.api.auth;

import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import java.util.Optional;

/** A bearer token is a JWT for {@link OidcTokens} when OIDC is configured, else a static token. */
public final class BearerAuthenticator implements Authenticator<String, Caller> {

  private final StaticTokens tokens;
  private final OidcTokens oidc;

  public BearerAuthenticator(AuthConfig config) {
    this.tokens = new StaticTokens(config.tokens());
    this.oidc = config.oidc() == null ? null : new OidcTokens(config.oidc());
  }

  @Override
  public Optional<Caller> authenticate(String token) throws AuthenticationException {
    if (oidc != null && OidcTokens.looksLikeJwt(token)) {
      return oidc.authenticate(token);
    }
    return tokens.authenticate(token);
  }
}
