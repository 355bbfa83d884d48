package io.breakglass.api.codec;

import io.breakglass.api.auth.OidcConfig;
import jakarta.validation.Valid;
import java.nio.file.Path;
import java.util.List;

/**
 * The codec server the Temporal UI calls to show and enter Breakglass payloads in the clear. The
 * keys are those of {@code temporal.codec}; this says which browser origins may call it, and which
 * access tokens of the UI's own users it accepts besides the operator API's credentials.
 *
 * <pre>{@code
 * codecServer:
 *   allowedOrigins: [https://temporal-ui.example.com]
 *   oidc:                       # the Temporal UI's access tokens, at /codec/* only
 *     issuer: https://login.example.com/
 *     audience: temporal-ui
 *     jwksUrl: https://login.example.com/.well-known/jwks.json
 *     nameClaim: email
 *     roleMappings:
 *       - {claim: groups, value: breakglass-approvers, roles: [approver]}
 * }</pre>
 *
 * @param allowedOrigins the exact origins (scheme, host, port) of the Temporal UI that may call the
 *     endpoints from a browser; none means no browser may
 * @param oidc the identity provider whose access tokens the Temporal UI forwards (its {@code
 *     passAccessToken}), with the roles their claims earn; accepted at the codec endpoints only,
 *     never at the operator API. Null: the codec endpoints accept the API's credentials only
 * @param loopbackTokenFile {@code dev} only: a file (mode 600 or 400) holding the bearer token a
 *     codec request from a loopback address without an {@code Authorization} header is
 *     authenticated with, because the Web UI of {@code temporal server start-dev} has no sign-in
 *     and sends none. Its user (in {@code api.auth.tokens}) should have the {@code operator} role
 *     only. Never set it where anything else listens on the API's loopback side (a reverse proxy).
 */
public record CodecServerConfig(
    List<String> allowedOrigins, @Valid OidcConfig oidc, Path loopbackTokenFile) {

  public CodecServerConfig {
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    for (String origin : allowedOrigins) {
      if (!origin.matches("https?://[^/\\s*]+")) {
        throw new IllegalArgumentException(
            "codecServer.allowedOrigins: '"
                + origin
                + "' is not an origin like https://temporal-ui.example.com"
                + " (no path, no wildcard)");
      }
    }
  }

  /** Browser origins only; the API's credentials only, no loopback token. */
  public CodecServerConfig(List<String> allowedOrigins) {
    this(allowedOrigins, null, null);
  }

  /** No browser origin allowed. */
  public static CodecServerConfig closed() {
    return new CodecServerConfig(List.of());
  }
}
