package io.breakglass.api.codec;

import java.util.List;

/**
 * The codec server the Temporal UI calls to show and enter Breakglass payloads in the clear. The
 * keys are those of {@code temporal.codec}; this only says which browser origins may call it.
 *
 * <pre>{@code
 * codecServer:
 *   allowedOrigins: [https://temporal-ui.example.com]
 * }</pre>
 *
 * @param allowedOrigins the exact origins (scheme, host, port) of the Temporal UI that may call
 *     the endpoints from a browser; none means no browser may
 */
public record CodecServerConfig(List<String> allowedOrigins) {

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

  /** No browser origin allowed. */
  public static CodecServerConfig closed() {
    return new CodecServerConfig(List.of());
  }
}
