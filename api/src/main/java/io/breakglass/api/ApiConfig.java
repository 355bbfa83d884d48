package io.breakglass.api;

import io.breakglass.api.auth.AuthConfig;
import io.breakglass.api.http.LimitsConfig;
import jakarta.validation.Valid;

/**
 * The operator API of the {@code server} command.
 *
 * <pre>{@code
 * api:
 *   auth:
 *     tokens:
 *       - {name: alice, sha256: 5e88...42d8, roles: [operator]}
 *     oidc: {issuer: https://login.example.com/, audience: breakglass, jwksUrl: https://login.example.com/jwks}
 *   limits: {maxBodyBytes: 65536, startsPerMinute: 10, decisionsPerMinute: 30}
 * }</pre>
 *
 * @param auth who may call it; no token configured means nobody can
 * @param limits request size and rate limits
 */
public record ApiConfig(@Valid AuthConfig auth, @Valid LimitsConfig limits) {

  public ApiConfig {
    auth = auth == null ? new AuthConfig(null, null) : auth;
    limits = limits == null ? LimitsConfig.defaults() : limits;
  }

  /** No callers, default limits. */
  public static ApiConfig closed() {
    return new ApiConfig(null, null);
  }
}
