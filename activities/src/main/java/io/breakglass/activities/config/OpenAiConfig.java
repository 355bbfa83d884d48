package io.breakglass.activities.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.net.URI;

/**
 * An API key issued by OpenAI, and how its replaced key is revoked there after REVOKE. With an
 * admin key, Breakglass deletes the replaced key through OpenAI's Admin API ({@code DELETE
 * /v1/organization/projects/{projectId}/api_keys/{keyId}}), finding its key id among the project's
 * keys by the redacted value OpenAI lists; without one, the rotation waits for a human to confirm,
 * naming the key id, that they deleted it. Neither key value is ever logged.
 *
 * @param projectId the OpenAI project the key belongs to, e.g. {@code proj_abc}
 * @param adminKeyEnv the environment variable holding an admin key that may write the project's API
 *     keys; null to revoke by hand
 * @param baseUrl the API's base URL (default {@code https://api.openai.com})
 */
public record OpenAiConfig(
    @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,128}") String projectId,
    String adminKeyEnv,
    URI baseUrl) {

  /** OpenAI's public API. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com");

  public OpenAiConfig {
    baseUrl = baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
    adminKeyEnv = adminKeyEnv == null || adminKeyEnv.isBlank() ? null : adminKeyEnv;
  }
}
