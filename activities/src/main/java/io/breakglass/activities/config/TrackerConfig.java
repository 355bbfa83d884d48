package io.breakglass.activities.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/**
 * The incident tracker's webhook: each incident and next-rotation ticket is POSTed to it as JSON.
 * Credentials are named by environment variable, never written in the file.
 *
 * @param url where to POST (http or https)
 * @param bearerTokenEnv the environment variable with a token sent as {@code Authorization:
 *     Bearer}; null: none
 * @param signingSecretEnv the environment variable with the HMAC secret that signs each body
 *     ({@code X-Breakglass-Signature: sha256=<hex>}); null: unsigned
 * @param attempts delivery attempts per item within one activity attempt (default 3)
 */
public record TrackerConfig(
    @NotNull URI url, String bearerTokenEnv, String signingSecretEnv, @Min(0) int attempts) {

  public TrackerConfig {
    attempts = attempts == 0 ? 3 : attempts;
  }
}
