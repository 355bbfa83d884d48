package io.breakglass.activities.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.breakglass.activities.config.VaultConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A test-only HashiCorp Vault with one KV version 2 engine at {@value #MOUNT}, on 127.0.0.1, in the
 * shapes of Vault's KV v2 HTTP API:
 *
 * <ul>
 *   <li>{@code GET/POST/DELETE /v1/secret/data/<path>}: read a version ({@code ?version=N}, else
 *       the latest; a deleted or destroyed one is 404 with its metadata, as Vault answers), write a
 *       new version ({@code options.cas}: 0 only while the key has no version, else the current
 *       version number; a mismatch is 400 {@code "check-and-set parameter did not match the current
 *       version"}), soft-delete the latest;
 *   <li>{@code GET/POST /v1/secret/metadata/<path>}: {@code current_version}, {@code versions} with
 *       {@code created_time}, {@code deletion_time}, {@code destroyed}; a POST's {@code
 *       custom_metadata} replaces the map (64 keys, keys of 128 and values of 512 bytes at most);
 *   <li>{@code POST /v1/secret/delete|undelete|destroy/<path>} with {@code {"versions": [...]}}.
 * </ul>
 *
 * Every request needs {@code X-Vault-Token} (else 403 {@code permission denied}). Each call is
 * recorded with the capability Vault's ACL would check: {@code create} for a write to a path that
 * does not exist yet, {@code update} for one that does, {@code read}, {@code delete}. Versions are
 * kept without limit ({@code max_versions} is not modelled).
 */
public final class FakeVault implements AutoCloseable {

  public static final String MOUNT = "secret";
  public static final String TOKEN = "hvs.test-token-never-logged";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One request: method, the path after {@code /v1/} without the query, and the capability it
   * needs.
   */
  public record Call(String method, String path, String capability) {}

  private static final class Version {
    final Map<String, String> data;
    final Instant created = Instant.now();
    Instant deleted;
    boolean destroyed;

    Version(Map<String, String> data) {
      this.data = data;
    }
  }

  private static final class Key {
    final List<Version> versions = new ArrayList<>();
    Map<String, String> custom = new LinkedHashMap<>();
    final Instant created = Instant.now();
  }

  private final HttpServer server;
  private final Map<String, Key> keys = new LinkedHashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private Consumer<String> beforeNextDataWrite;

  private FakeVault(HttpServer server) {
    this.server = server;
  }

  public static FakeVault start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      FakeVault fake = new FakeVault(server);
      server.createContext("/v1/", fake::handle);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI address() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Settings for this fake, the token in {@code tokenFile} (written here), secrets at their names.
   */
  public VaultConfig config(Path tokenFile, Map<String, String> paths) {
    try {
      Files.writeString(tokenFile, TOKEN + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new VaultConfig(
        address(), MOUNT, null, "BREAKGLASS_TEST_UNSET_VAULT_TOKEN", tokenFile, paths);
  }

  /** Writes a version as another tool would ({@code vault kv put}); returns its number. */
  public synchronized int put(String path, Map<String, String> data) {
    Key key = keys.computeIfAbsent(path, p -> new Key());
    key.versions.add(new Version(new LinkedHashMap<>(data)));
    return key.versions.size();
  }

  /**
   * Before the next data write, {@code action} runs with the path (another writer, a lost answer).
   */
  public synchronized void beforeNextDataWrite(Consumer<String> action) {
    this.beforeNextDataWrite = action;
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized void clearCalls() {
    calls.clear();
  }

  public synchronized boolean exists(String path) {
    return keys.containsKey(path);
  }

  /** The data of version {@code number}, deleted or not; null when it does not exist. */
  public synchronized Map<String, String> data(String path, int number) {
    Key key = keys.get(path);
    return key == null || number > key.versions.size()
        ? null
        : Map.copyOf(key.versions.get(number - 1).data);
  }

  public synchronized boolean deleted(String path, int number) {
    return keys.get(path).versions.get(number - 1).deleted != null;
  }

  public synchronized int currentVersion(String path) {
    Key key = keys.get(path);
    return key == null ? 0 : key.versions.size();
  }

  public synchronized Map<String, String> customMetadata(String path) {
    Key key = keys.get(path);
    return key == null ? Map.of() : Map.copyOf(key.custom);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String full =
          URLDecoder.decode(
              exchange.getRequestURI().getRawPath().substring("/v1/".length()),
              StandardCharsets.UTF_8);
      String query = exchange.getRequestURI().getRawQuery();
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Vault-Token"))) {
        send(exchange, 403, errors("permission denied"));
        return;
      }
      if (!full.startsWith(MOUNT + "/")) {
        send(exchange, 404, errors("no handler for route \"" + full + "\""));
        return;
      }
      String rest = full.substring(MOUNT.length() + 1);
      int slash = rest.indexOf('/');
      String kind = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "" : rest.substring(slash + 1);
      JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      Answer answer;
      Consumer<String> interleaved = null;
      synchronized (this) {
        if (kind.equals("data") && method.equals("POST") && beforeNextDataWrite != null) {
          interleaved = beforeNextDataWrite;
          beforeNextDataWrite = null;
        }
      }
      if (interleaved != null) {
        interleaved.accept(path);
      }
      synchronized (this) {
        calls.add(new Call(method, full, capability(method, kind, path)));
        answer = answer(method, kind, path, query, request);
      }
      send(exchange, answer.status, answer.body);
    }
  }

  private record Answer(int status, JsonNode body) {}

  private String capability(String method, String kind, String path) {
    return switch (method) {
      case "GET" -> "read";
      case "DELETE" -> "delete";
      case "LIST" -> "list";
      default ->
          kind.equals("data") || kind.equals("metadata")
              ? (keys.containsKey(path) ? "update" : "create")
              : "update";
    };
  }

  private Answer answer(String method, String kind, String path, String query, JsonNode request) {
    Key key = keys.get(path);
    switch (kind + " " + method) {
      case "data GET":
        {
          int number =
              query != null && query.startsWith("version=")
                  ? Integer.parseInt(query.substring(8))
                  : 0;
          if (key == null || key.versions.isEmpty()) {
            return new Answer(404, errors());
          }
          number = number == 0 ? key.versions.size() : number;
          if (number > key.versions.size()) {
            return new Answer(404, errors());
          }
          Version version = key.versions.get(number - 1);
          ObjectNode answer = JSON.createObjectNode();
          ObjectNode data = answer.putObject("data");
          if (version.deleted != null || version.destroyed) {
            data.putNull("data");
          } else {
            ObjectNode map = data.putObject("data");
            version.data.forEach(map::put);
          }
          data.set("metadata", versionMetadata(key, number));
          return new Answer(version.deleted != null || version.destroyed ? 404 : 200, answer);
        }
      case "data POST":
        {
          JsonNode cas = request.path("options").path("cas");
          int current = key == null ? 0 : key.versions.size();
          if (!cas.isMissingNode() && !cas.isNull() && cas.asInt() != current) {
            return new Answer(
                400, errors("check-and-set parameter did not match the current version"));
          }
          if (!request.path("data").isObject()) {
            return new Answer(400, errors("no data provided"));
          }
          Map<String, String> data = new LinkedHashMap<>();
          request
              .path("data")
              .fields()
              .forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
          key = keys.computeIfAbsent(path, p -> new Key());
          key.versions.add(new Version(data));
          ObjectNode answer = JSON.createObjectNode();
          answer.set("data", versionMetadata(key, key.versions.size()));
          return new Answer(200, answer);
        }
      case "data DELETE":
        {
          if (key != null && !key.versions.isEmpty()) {
            Version latest = key.versions.get(key.versions.size() - 1);
            latest.deleted = latest.deleted == null ? Instant.now() : latest.deleted;
          }
          return new Answer(204, null);
        }
      case "metadata GET":
        {
          if (key == null) {
            return new Answer(404, errors());
          }
          ObjectNode answer = JSON.createObjectNode();
          ObjectNode data = answer.putObject("data");
          data.put("cas_required", false);
          data.put("created_time", key.created.toString());
          data.put("current_version", key.versions.size());
          data.put("delete_version_after", "0s");
          data.put("max_versions", 0);
          data.put("oldest_version", 0);
          data.put("updated_time", Instant.now().toString());
          ObjectNode custom = data.putObject("custom_metadata");
          key.custom.forEach(custom::put);
          ObjectNode versions = data.putObject("versions");
          for (int n = 1; n <= key.versions.size(); n++) {
            Version v = key.versions.get(n - 1);
            ObjectNode entry = versions.putObject(Integer.toString(n));
            entry.put("created_time", v.created.toString());
            entry.put("deletion_time", v.deleted == null ? "" : v.deleted.toString());
            entry.put("destroyed", v.destroyed);
          }
          return new Answer(200, answer);
        }
      case "metadata POST":
        {
          JsonNode custom = request.path("custom_metadata");
          if (custom.size() > 64) {
            return new Answer(
                400, errors("custom_metadata has " + custom.size() + " keys, more than 64"));
          }
          Map<String, String> map = new LinkedHashMap<>();
          for (var it = custom.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().getBytes(StandardCharsets.UTF_8).length > 128
                || e.getValue().asText().getBytes(StandardCharsets.UTF_8).length > 512) {
              return new Answer(
                  400, errors("custom_metadata key or value too long: " + e.getKey()));
            }
            map.put(e.getKey(), e.getValue().asText());
          }
          key = keys.computeIfAbsent(path, p -> new Key());
          if (!custom.isMissingNode()) {
            key.custom = map;
          }
          return new Answer(204, null);
        }
      case "delete POST":
      case "undelete POST":
      case "destroy POST":
        {
          if (key != null) {
            for (JsonNode n : request.path("versions")) {
              int number = n.asInt();
              if (number >= 1 && number <= key.versions.size()) {
                Version v = key.versions.get(number - 1);
                switch (kind) {
                  case "delete" -> v.deleted = v.deleted == null ? Instant.now() : v.deleted;
                  case "undelete" -> v.deleted = v.destroyed ? v.deleted : null;
                  default -> v.destroyed = true;
                }
              }
            }
          }
          return new Answer(204, null);
        }
      default:
        return new Answer(405, errors("unsupported operation"));
    }
  }

  private static ObjectNode versionMetadata(Key key, int number) {
    Version v = key.versions.get(number - 1);
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("created_time", v.created.toString());
    if (key.custom.isEmpty()) {
      metadata.putNull("custom_metadata");
    } else {
      ObjectNode custom = metadata.putObject("custom_metadata");
      key.custom.forEach(custom::put);
    }
    metadata.put("deletion_time", v.deleted == null ? "" : v.deleted.toString());
    metadata.put("destroyed", v.destroyed);
    metadata.put("version", number);
    return metadata;
  }

  private static ObjectNode errors(String... messages) {
    ObjectNode body = JSON.createObjectNode();
    var array = body.putArray("errors");
    for (String m : messages) {
      array.add(m);
    }
    return body;
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
