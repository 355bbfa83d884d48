package io.breakglass.activities.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.workflows.RotationErrors;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The two calls of OpenAI's Admin API that revoke a project API key: list the project's keys
 * ({@code GET /v1/organization/projects/{project}/api_keys}, pages of 100 by {@code after}) and
 * delete one ({@code DELETE .../api_keys/{keyId}}), each with the admin key as bearer. Errors name
 * the call and the status, never a key or the response body.
 */
final class OpenAiAdminApi {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One project API key as OpenAI lists it.
   *
   * @param id the key id, e.g. {@code key_abc}
   * @param redactedValue the key with its middle elided, e.g. {@code sk-abc...def}
   */
  record ListedKey(String id, String redactedValue) {}

  private final HttpClient http;
  private final URI baseUrl;
  private final String project;

  OpenAiAdminApi(HttpClient http, URI baseUrl, String project) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.project = project;
  }

  /** Every API key of the project, following the pages. */
  List<ListedKey> keys(String adminKey) {
    List<ListedKey> keys = new ArrayList<>();
    String after = null;
    while (true) {
      String query = "?limit=100" + (after == null ? "" : "&after=" + encode(after));
      HttpResponse<String> response = send(adminKey, "GET", keysPath() + query);
      if (response.statusCode() != 200) {
        throw refusal("listing the API keys of project " + project, response.statusCode());
      }
      JsonNode page;
      try {
        page = JSON.readTree(response.body());
      } catch (IOException e) {
        throw RotationErrors.PROVIDER_UNAVAILABLE.failure(
            "OpenAI answered the key list of project "
                + project
                + " with something other than JSON");
      }
      for (JsonNode key : page.path("data")) {
        keys.add(
            new ListedKey(key.path("id").asText(null), key.path("redacted_value").asText(null)));
      }
      if (!page.path("has_more").asBoolean(false) || !page.hasNonNull("last_id")) {
        return keys;
      }
      after = page.path("last_id").asText();
    }
  }

  /** Deletes the key; false when OpenAI no longer has it (404). */
  boolean delete(String adminKey, String keyId) {
    int status = send(adminKey, "DELETE", keysPath() + "/" + encode(keyId)).statusCode();
    if (status == 404) {
      return false;
    }
    if (status != 200) {
      throw refusal("deleting key " + keyId + " of project " + project, status);
    }
    return true;
  }

  private String keysPath() {
    return "/v1/organization/projects/" + encode(project) + "/api_keys";
  }

  private HttpResponse<String> send(String adminKey, String method, String pathAndQuery) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Authorization", "Bearer " + adminKey)
            .header("Content-Type", "application/json")
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw RotationErrors.PROVIDER_UNAVAILABLE.failure(
          method
              + " "
              + base
              + pathAndQuery.replaceAll("\\?.*", "")
              + " did not answer ("
              + e.getClass().getSimpleName()
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RotationErrors.PROVIDER_UNAVAILABLE.failure("the call to OpenAI was interrupted");
    }
  }

  private static RuntimeException refusal(String what, int status) {
    RotationErrors error =
        status == 429 || status >= 500
            ? RotationErrors.PROVIDER_UNAVAILABLE
            : RotationErrors.PROVIDER_REFUSED;
    return error.failure(
        "OpenAI answered "
            + what
            + " with status "
            + status
            + (status == 401 || status == 403
                ? ": the admin key may not write the project's API keys"
                : ""));
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8);
  }
}
