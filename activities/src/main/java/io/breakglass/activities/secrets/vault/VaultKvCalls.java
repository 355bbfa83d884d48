package io.breakglass.activities.secrets.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.workflows.RotationErrors;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every HTTP call the Vault store makes to a KV version 2 engine, one method each, in the shapes of
 * Vault's KV v2 API. 404 surfaces as {@link Missing}, a check-and-set refusal as {@link
 * CheckAndSetConflict}; 429, 5xx and network failures are {@code SECRET_STORE_UNAVAILABLE}
 * (retryable); any other refusal (403 permission denied) is {@code INVALID_CONFIGURATION}. Messages
 * carry Vault's error text (which never echoes a value), never the token or a value. {@code
 * destroy} is not among the calls.
 */
final class VaultKvCalls {

  /** The secret or version does not exist, or is deleted (Vault answers 404). */
  static final class Missing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Missing(String path) {
      super(path, null, false, false);
    }
  }

  /** Another writer wrote a version since {@code cas} was read (Vault answers 400). */
  static final class CheckAndSetConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CheckAndSetConflict(String path, int cas) {
      super(
          "check-and-set " + cas + " on " + path + " did not match the current version",
          null,
          false,
          false);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final URI address;
  private final String mount;
  private final String namespace;
  private final VaultToken token;

  VaultKvCalls(URI address, String mount, String namespace, VaultToken token) {
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    this.address = address;
    this.mount = mount;
    this.namespace = namespace;
    this.token = token;
  }

  /** {@code GET /v1/<mount>/metadata/<path>}: the {@code data} object. */
  JsonNode metadata(String path) {
    return send("GET", "metadata", path, "", null).path("data");
  }

  /**
   * {@code POST /v1/<mount>/metadata/<path>} with {@code custom_metadata} only (it replaces the
   * map).
   */
  void writeCustomMetadata(String path, Map<String, String> custom) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode map = body.putObject("custom_metadata");
    custom.forEach(map::put);
    send("POST", "metadata", path, "", body);
  }

  /**
   * {@code GET /v1/<mount>/data/<path>?version=N} (0: the latest): the version's {@code data} map.
   */
  JsonNode data(String path, int version) {
    return send("GET", "data", path, version > 0 ? "?version=" + version : "", null)
        .path("data")
        .path("data");
  }

  /**
   * {@code POST /v1/<mount>/data/<path>}, with {@code options.cas} when {@code cas} is not null (0:
   * only if the key has no version yet). Returns the new version number.
   */
  int write(String path, Integer cas, Map<String, String> data) {
    ObjectNode map = JSON.createObjectNode();
    data.forEach(map::put);
    return write(path, cas, map);
  }

  /** {@link #write(String, Integer, Map)} with a data object whose fields need not be strings. */
  int write(String path, Integer cas, ObjectNode data) {
    ObjectNode body = JSON.createObjectNode();
    if (cas != null) {
      body.putObject("options").put("cas", cas);
    }
    body.set("data", data);
    try {
      return send("POST", "data", path, "", body).path("data").path("version").asInt();
    } catch (CheckAndSetConflict e) {
      throw new CheckAndSetConflict(path, cas == null ? -1 : cas);
    }
  }

  /** {@code DELETE /v1/<mount>/data/<path>}: soft-deletes the latest version. */
  void deleteLatest(String path) {
    send("DELETE", "data", path, "", null);
  }

  /** {@code POST /v1/<mount>/delete/<path>}: soft-deletes {@code versions} (undeletable). */
  void delete(String path, int... versions) {
    send("POST", "delete", path, "", versions(versions));
  }

  /** {@code POST /v1/<mount>/undelete/<path>}: restores soft-deleted {@code versions}. */
  void undelete(String path, int... versions) {
    send("POST", "undelete", path, "", versions(versions));
  }

  private static ObjectNode versions(int... versions) {
    ObjectNode body = JSON.createObjectNode();
    Arrays.stream(versions).forEach(body.putArray("versions")::add);
    return body;
  }

  private JsonNode send(String method, String kind, String path, String query, JsonNode body) {
    String apiPath = mount + "/" + kind + "/" + path;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(kind, path, query))
            .timeout(TIMEOUT)
            .header("X-Vault-Token", token.value())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (namespace != null && !namespace.isBlank()) {
      request.header("X-Vault-Namespace", namespace);
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SecretStoreException(
          RotationErrors.SECRET_STORE_UNAVAILABLE,
          "cannot reach Vault at "
              + address
              + " for "
              + method
              + " "
              + apiPath
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SecretStoreException(
          RotationErrors.SECRET_STORE_UNAVAILABLE, "interrupted calling Vault for " + apiPath);
    }
    int status = response.statusCode();
    if (status == 204 || (status == 200 && response.body().isBlank())) {
      return JSON.createObjectNode();
    }
    JsonNode answer = parse(response.body());
    if (status == 200) {
      return answer;
    }
    String errors = errors(answer);
    if (status == 404) {
      throw new Missing(apiPath);
    }
    if (status == 400 && errors.contains("check-and-set")) {
      throw new CheckAndSetConflict(apiPath, -1);
    }
    boolean transientFailure = status == 429 || status >= 500;
    throw new SecretStoreException(
        transientFailure
            ? RotationErrors.SECRET_STORE_UNAVAILABLE
            : RotationErrors.INVALID_CONFIGURATION,
        "Vault refused "
            + method
            + " "
            + apiPath
            + ": HTTP "
            + status
            + (errors.isEmpty() ? "" : " (" + errors + ")"));
  }

  private URI uri(String kind, String path, String query) {
    String encoded =
        Arrays.stream(path.split("/"))
            .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
            .collect(Collectors.joining("/"));
    String base = address.toString().replaceAll("/+$", "");
    return URI.create(base + "/v1/" + mount + "/" + kind + "/" + encoded + query);
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  // Vault's {"errors": [...]}: messages such as "permission denied", never a secret value.
  private static String errors(JsonNode answer) {
    StringBuilder out = new StringBuilder();
    answer
        .path("errors")
        .forEach(e -> out.append(out.length() == 0 ? "" : "; ").append(e.asText()));
    return out.toString();
  }

  @Override
  public String toString() {
    return "VaultKvCalls(" + address + ", " + mount + ", " + token + ")";
  }
}
