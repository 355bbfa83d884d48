package io.breakglass.api.codec;

import io.breakglass.api.auth.AuthConfig;
import io.breakglass.api.auth.BearerAuthenticator;
import io.breakglass.api.auth.Caller;
import io.breakglass.api.auth.OidcConfig;
import io.breakglass.api.auth.OidcTokens;
import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import java.util.Optional;

/**
 * Who may call the codec endpoints: a user of the Temporal UI, by the access token the UI forwards
 * ({@code codecServer.oidc}, roles from its claims), or a caller of the operator API, by the API's
 * own credentials ({@code api.auth}). The UI's tokens are accepted here only: the operator API's
 * authentication never sees {@code codecServer.oidc}.
 */
public final class CodecCallers implements Authenticator<String, Caller> {

  private final OidcTokens uiTokens;
  private final Authenticator<String, Caller> apiCallers;

  /**
   * @param ui the Temporal UI's identity provider, or null for the API's credentials only
   * @param api the operator API's authentication
   */
  public CodecCallers(OidcConfig ui, AuthConfig api) {
    this.uiTokens = ui == null ? null : new OidcTokens(ui);
    this.apiCallers = new BearerAuthenticator(api);
  }

  @Override
  public Optional<Caller> authenticate(String token) throws AuthenticationException {
    if (uiTokens != null && OidcTokens.looksLikeJwt(token)) {
      Optional<Caller> uiUser = uiTokens.authenticate(token);
      if (uiUser.isPresent()) {
        return uiUser;
      }
    }
    return apiCallers.authenticate(token);
  }
}
