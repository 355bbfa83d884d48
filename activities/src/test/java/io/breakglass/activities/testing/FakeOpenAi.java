package io.breakglass.activities.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test-only OpenAI on 127.0.0.1, in the shapes of OpenAI's API reference:
 *
 * <ul>
 *   <li>{@code GET /v1/models} answers 200 to a bearer that is a live API key, 401 otherwise;
 *   <li>{@code GET /v1/organization/projects/{project}/api_keys?limit&after}: the project's keys as
 *       {@code {"object":"list","data":[{"object":"organization.project.api_key","id",
 *       "name","redacted_value","created_at",...}],"first_id","last_id","has_more"}}, in pages of
 *       at most {@code limit} (and of the fake's own page size, so paging is exercised);
 *   <li>{@code DELETE /v1/organization/projects/{project}/api_keys/{id}}: {@code {"object":
 *       "organization.project.api_key.deleted","id","deleted":true}}, 404 for a key it does not
 *       have;
 * </ul>
 *
 * the admin calls with the admin key as bearer (401 otherwise). It records each request as method,
 * path and query, and the bearers separately, so a test can show a key travelled only as a bearer.
 */
public final class FakeOpenAi implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String project;
  private final String adminKey;
  private final int pageSize;
  private final Map<String, String> keys = new LinkedHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> bearers = new CopyOnWriteArrayList<>();

  /** A project {@code project} whose keys the admin key {@code adminKey} manages. */
  public FakeOpenAi(String project, String adminKey, int pageSize) {
    this.project = project;
    this.adminKey = adminKey;
    this.pageSize = pageSize;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** Issues API key {@code value} under id {@code keyId}. */
  public synchronized FakeOpenAi issue(String keyId, String value) {
    keys.put(keyId, value);
    return this;
  }

  public synchronized boolean has(String keyId) {
    return keys.containsKey(keyId);
  }

  /** The base URL, e.g. {@code http://127.0.0.1:1234}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every request as {@code METHOD path?query}, with its body when it had one. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** Every bearer token presented, in order. */
  public List<String> bearers() {
    return List.copyOf(bearers);
  }

  /** How OpenAI lists a key: its start and end around an elision. */
  public static String redacted(String value) {
    return value.substring(0, 8) + "..." + value.substring(value.length() - 4);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      requests.add(
          exchange.getRequestMethod()
              + " "
              + uri.getRawPath()
              + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
              + (body.isEmpty() ? "" : " " + body));
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      String bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
      if (bearer != null) {
        bearers.add(bearer);
      }
      String path = uri.getPath();
      String keysPath = "/v1/organization/projects/" + project + "/api_keys";
      if (path.equals("/v1/models") && exchange.getRequestMethod().equals("GET")) {
        boolean live;
        synchronized (this) {
          live = bearer != null && keys.containsValue(bearer);
        }
        reply(exchange, live ? 200 : 401, live ? models() : error("invalid_api_key"));
      } else if (path.startsWith("/v1/organization/")) {
        if (!adminKey.equals(bearer)) {
          reply(exchange, 401, error("invalid_admin_key"));
        } else if (path.equals(keysPath) && exchange.getRequestMethod().equals("GET")) {
          reply(exchange, 200, list(query(uri, "limit"), query(uri, "after")));
        } else if (path.startsWith(keysPath + "/")
            && exchange.getRequestMethod().equals("DELETE")) {
          String keyId = path.substring(keysPath.length() + 1);
          boolean deleted;
          synchronized (this) {
            deleted = keys.remove(keyId) != null;
          }
          reply(exchange, deleted ? 200 : 404, deleted ? deleted(keyId) : error("not_found"));
        } else {
          reply(exchange, 404, error("not_found"));
        }
      } else {
        reply(exchange, 404, error("not_found"));
      }
    }
  }

  private synchronized ObjectNode list(String limit, String after) {
    int size = Math.min(pageSize, limit == null ? 20 : Integer.parseInt(limit));
    List<String> ids = new ArrayList<>(keys.keySet());
    int from = after == null ? 0 : ids.indexOf(after) + 1;
    List<String> page = ids.subList(from, Math.min(ids.size(), from + size));
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    for (String id : page) {
      ObjectNode key = data.addObject();
      key.put("object", "organization.project.api_key");
      key.put("redacted_value", redacted(keys.get(id)));
      key.put("name", "key " + id);
      key.put("created_at", 1_711_471_533L);
      key.putNull("last_used_at");
      key.put("id", id);
      key.putObject("owner").put("type", "service_account");
    }
    list.put("first_id", page.isEmpty() ? null : page.get(0));
    list.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1));
    list.put("has_more", from + page.size() < ids.size());
    return list;
  }

  private static ObjectNode deleted(String keyId) {
    return JSON.createObjectNode()
        .put("object", "organization.project.api_key.deleted")
        .put("id", keyId)
        .put("deleted", true);
  }

  private static ObjectNode models() {
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    list.putArray("data")
        .addObject()
        .put("id", "gpt-4o")
        .put("object", "model")
        .put("owned_by", "openai");
    return list;
  }

  private static ObjectNode error(String code) {
    ObjectNode error = JSON.createObjectNode();
    error
        .putObject("error")
        .put("message", code)
        .put("type", "invalid_request_error")
        .put("code", code);
    return error;
  }

  private static String query(URI uri, String name) {
    if (uri.getRawQuery() == null) {
      return null;
    }
    for (String pair : uri.getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    return null;
  }

  private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
