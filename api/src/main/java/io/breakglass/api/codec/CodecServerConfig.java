package io.breakglass.api.codec;

import java.nio.file.Path;
import java.util.List;

/**
 * The codec server the Temporal UI calls to show and enter Breakglass payloads in the clear. The
 * keys are those of {@code temporal.codec}; this says which browser origins may call it.
 *
 * <pre>{@code
 * codecServer:
 *   allowedOrigins: [https://temporal-ui.example.com]
 * }</pre>
 *
 * @param allowedOrigins the exact origins (scheme, host, port) of the Temporal UI that may call
 *     the endpoints from a browser; none means no browser may
 * @param loopbackTokenFile {@code dev} only: a file (mode 600 or 400) holding the bearer token a
 *     codec request from a loopback address without an {@code Authorization} header is
 *     authenticated with, because the Web UI of {@code temporal server start-dev} has no sign-in
 *     and sends none. Its user (in {@code api.auth.tokens}) should have the {@code operator} role
 *     only. Never set it where anything else listens on the API's loopback side (a reverse proxy).
 */
public record CodecServerConfig(List<String> allowedOrigins, Path loopbackTokenFile) {

  public CodecServerConfig {
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    for (String origin : allowedOrigins) {
      if (!origin.matches("https?://[^/\\s*]+")) {
        throw new IllegalArgumentException(
            "codecServer.allowedOrigins: '" + origin + "' is not an origin like https://temporal-ui.example.com"
                + " (no path, no wildcard)");
      }
    }
  }

  /** Browser origins only, no loopback token. */
  public CodecServerConfig(List<String> allowedOrigins) {
    this(allowedOrigins, null);
  }

  /** No browser origin allowed. */
  public static CodecServerConfig closed() {
    return new CodecServerConfig(List.of());
  }
}
