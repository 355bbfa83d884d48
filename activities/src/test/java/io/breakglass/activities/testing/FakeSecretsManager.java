package io.breakglass.activities.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.secrets.aws.SecretsManagerClients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A test-only AWS Secrets Manager: the JSON 1.1 protocol on 127.0.0.1 ({@code POST /}, {@code
 * X-Amz-Target: secretsmanager.<Operation>}, errors as HTTP 400 with {@code {"__type", "message"}})
 * behind the SDK's {@code endpointOverride}. It implements the operations Breakglass calls with the
 * documented semantics:
 *
 * <ul>
 *   <li>a staging label sits on one version at most; moving AWSCURRENT moves AWSPREVIOUS to the
 *       version it left; a label on another version moves only with a matching {@code
 *       RemoveFromVersionId}; AWSCURRENT is never removed without a move;
 *   <li>{@code PutSecretValue}: the {@code ClientRequestToken} is the version id; the same token
 *       with the same value is a no-op, with another value {@code ResourceExistsException}; without
 *       {@code VersionStages} the new version gets AWSCURRENT, and the first version of a secret
 *       always does;
 *   <li>versions without labels are "deprecated": left out of {@code DescribeSecret}, listed by
 *       {@code ListSecretVersionIds} only with {@code IncludeDeprecated};
 *   <li>tags: keys of 1-128 and values of 0-256 characters (the API's {@code Tag} type; a longer
 *       one is the {@code ValidationException} of AWS's request validation), AWS's characters only,
 *       the {@code aws:} prefix refused; 50 per secret, after which {@code TagResource} fails with
 *       {@code InvalidRequestException}: AWS documents the limit and the operation's error types
 *       but no message for it, so the message is the fake's own. {@code UntagResource} removes the
 *       keys it names; unknown keys are no error.
 * </ul>
 *
 * It records every call as operation and {@code SecretId} (or {@code Name}). It signs nothing and
 * checks no signature.
 */
public final class FakeSecretsManager implements AutoCloseable {

  /** One request: {@code secretsmanager:<operation>} on a secret. */
  public record Call(String operation, String secretId) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TAG_CHARS = Pattern.compile("[\\p{L}\\p{N}\\p{Z}_.:/=+@-]*");
  // AWS's Tag type: keys of 1-128 and values of 0-256 characters; 50 tags per secret.
  private static final int MAX_TAG_KEY = 128;
  private static final int MAX_TAG_VALUE = 256;
  private static final int MAX_TAGS = 50;
  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-east-1";

  private final HttpServer server;
  private final Clock clock;
  private final Map<String, Secret> secrets = new LinkedHashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Integer> lostAnswers = new LinkedHashMap<>();

  private FakeSecretsManager(Clock clock) throws IOException {
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A fake on a free loopback port. */
  public static FakeSecretsManager start() {
    try {
      return new FakeSecretsManager(Clock.systemUTC());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake Secrets Manager", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The configuration that points Breakglass here. */
  public AwsConfig config() {
    return new AwsConfig(REGION, endpoint(), null, false);
  }

  /** A client on this fake with throwaway static credentials. */
  public SecretsManagerClient client() {
    return SecretsManagerClients.builder(config())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKE", "fake")))
        .build();
  }

  /** The ARN this fake gives a secret of this name. */
  public static String arn(String name) {
    return "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name + "-AbCdEf";
  }

  /** Every call so far, in order. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized void clearCalls() {
    calls.clear();
  }

  /**
   * The next {@code times} calls of {@code operation} are carried out, but answered with HTTP 500,
   * as when a response is lost: the SDK retries them.
   */
  public synchronized void loseAnswers(String operation, int times) {
    lostAnswers.put(operation, times);
  }

  /** Version id to labels, every version (deprecated ones with no labels). */
  public synchronized Map<String, List<String>> labels(String secretId) {
    Map<String, List<String>> labels = new LinkedHashMap<>();
    find(secretId).versions.values().forEach(v -> labels.put(v.id, List.copyOf(v.stages)));
    return labels;
  }

  /** The secret's tags. */
  public synchronized Map<String, String> tags(String secretId) {
    return Map.copyOf(find(secretId).tags);
  }

  /** Whether a secret of this name or ARN exists. */
  public synchronized boolean exists(String secretId) {
    return lookup(secretId) != null;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // --- the protocol ---

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
      int status = 200;
      ObjectNode answer;
      synchronized (this) {
        calls.add(new Call(operation, text(body, "SecretId", text(body, "Name", null))));
        try {
          answer = dispatch(operation, body);
          Integer lost = lostAnswers.getOrDefault(operation, 0);
          if (lost > 0) {
            lostAnswers.put(operation, lost - 1);
            status = 500;
            answer = error("InternalServiceError", "the answer was lost");
          }
        } catch (Refusal r) {
          status = 400;
          answer = error(r.type, r.getMessage());
        }
      }
      byte[] bytes = JSON.writeValueAsBytes(answer);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private ObjectNode dispatch(String operation, JsonNode in) {
    return switch (operation) {
      case "CreateSecret" -> createSecret(in);
      case "PutSecretValue" -> putSecretValue(in);
      case "GetSecretValue" -> getSecretValue(in);
      case "DescribeSecret" -> describeSecret(in);
      case "ListSecretVersionIds" -> listSecretVersionIds(in);
      case "UpdateSecretVersionStage" -> updateSecretVersionStage(in);
      case "TagResource" -> tagResource(in);
      case "UntagResource" -> untagResource(in);
      default ->
          throw new Refusal(
              "UnknownOperationException",
              "operation " + operation + " is not implemented by the fake");
    };
  }

  private ObjectNode createSecret(JsonNode in) {
    String name = required(in, "Name");
    if (name.startsWith("arn:") || lookup(name) != null) {
      throw new Refusal(
          "ResourceExistsException",
          "The operation failed because the secret " + name + " already exists.");
    }
    Secret secret = new Secret(name);
    secrets.put(name, secret);
    ObjectNode out = identify(secret);
    if (in.has("SecretString") || in.has("SecretBinary")) {
      Version v =
          secret.add(
              text(in, "ClientRequestToken", UUID.randomUUID().toString()),
              value(in),
              clock.instant());
      v.text = in.has("SecretString");
      attach(secret, v, "AWSCURRENT");
      out.put("VersionId", v.id);
    }
    return out;
  }

  private ObjectNode putSecretValue(JsonNode in) {
    Secret secret = find(required(in, "SecretId"));
    String token = required(in, "ClientRequestToken");
    if (token.length() < 32 || token.length() > 64) {
      throw new Refusal("ValidationException", "ClientRequestToken must be 32-64 characters");
    }
    byte[] value = value(in);
    Version existing = secret.versions.get(token);
    if (existing != null) {
      if (!existing.sameValue(value, in.has("SecretString"))) {
        throw new Refusal(
            "ResourceExistsException",
            "You can't modify an existing version, you can only create a new version.");
      }
      return versionAnswer(secret, existing);
    }
    List<String> stages = new ArrayList<>();
    if (in.has("VersionStages")) {
      in.get("VersionStages").forEach(s -> stages.add(s.asText()));
    } else {
      stages.add("AWSCURRENT");
    }
    boolean first = secret.versions.isEmpty();
    Version created = secret.add(token, value, clock.instant());
    created.text = in.has("SecretString");
    if (first && !stages.contains("AWSCURRENT")) {
      stages.add("AWSCURRENT");
    }
    stages.forEach(stage -> attach(secret, created, stage));
    return versionAnswer(secret, created);
  }

  private ObjectNode getSecretValue(JsonNode in) {
    Secret secret = find(required(in, "SecretId"));
    String versionId = text(in, "VersionId", null);
    String stage = text(in, "VersionStage", versionId == null ? "AWSCURRENT" : null);
    Version v = versionId != null ? secret.versions.get(versionId) : secret.holder(stage);
    if (v == null || (stage != null && !v.stages.contains(stage))) {
      throw new Refusal(
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret value for "
              + (versionId != null ? "VersionId: " + versionId : "staging label: " + stage));
    }
    ObjectNode out = versionAnswer(secret, v);
    if (v.text) {
      out.put("SecretString", new String(v.value, StandardCharsets.UTF_8));
    } else {
      out.put("SecretBinary", Base64.getEncoder().encodeToString(v.value));
    }
    out.put("CreatedDate", v.created.toEpochMilli() / 1000.0);
    return out;
  }

  private ObjectNode describeSecret(JsonNode in) {
    Secret secret = find(required(in, "SecretId"));
    ObjectNode out = identify(secret);
    ArrayNode tags = out.putArray("Tags");
    secret.tags.forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
    ObjectNode stages = out.putObject("VersionIdsToStages");
    secret.versions.values().stream()
        .filter(v -> !v.stages.isEmpty())
        .forEach(
            v -> {
              ArrayNode list = stages.putArray(v.id);
              v.stages.forEach(list::add);
            });
    return out;
  }

  private ObjectNode listSecretVersionIds(JsonNode in) {
    Secret secret = find(required(in, "SecretId"));
    boolean deprecatedToo = in.path("IncludeDeprecated").asBoolean(false);
    ObjectNode out = identify(secret);
    ArrayNode versions = out.putArray("Versions");
    secret.versions.values().stream()
        .filter(v -> deprecatedToo || !v.stages.isEmpty())
        .forEach(
            v -> {
              ObjectNode entry = versions.addObject().put("VersionId", v.id);
              ArrayNode list = entry.putArray("VersionStages");
              v.stages.forEach(list::add);
              entry.put("CreatedDate", v.created.toEpochMilli() / 1000.0);
            });
    return out;
  }

  private ObjectNode updateSecretVersionStage(JsonNode in) {
    Secret secret = find(required(in, "SecretId"));
    String stage = required(in, "VersionStage");
    String moveTo = text(in, "MoveToVersionId", null);
    String removeFrom = text(in, "RemoveFromVersionId", null);
    Version holder = secret.holder(stage);
    if (moveTo == null) {
      if (removeFrom == null || holder == null || !holder.id.equals(removeFrom)) {
        throw new Refusal(
            "InvalidParameterException",
            "The staging label " + stage + " is not attached to version " + removeFrom);
      }
      if (stage.equals("AWSCURRENT")) {
        throw new Refusal(
            "InvalidParameterException",
            "You can't remove the staging label AWSCURRENT without moving it to another version.");
      }
      holder.stages.remove(stage);
      return identify(secret);
    }
    Version target = secret.versions.get(moveTo);
    if (target == null) {
      throw new Refusal(
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret version " + moveTo);
    }
    if (holder != null
        && holder != target
        && (removeFrom == null || !removeFrom.equals(holder.id))) {
      throw new Refusal(
          "InvalidParameterException",
          "The staging label "
              + stage
              + " is currently attached to version "
              + holder.id
              + ". Specify that version in RemoveFromVersionId to move it.");
    }
    attach(secret, target, stage);
    return identify(secret);
  }

  private ObjectNode tagResource(JsonNode in) {
    Secret secret = find(required(in, "SecretId"));
    Map<String, String> after = new LinkedHashMap<>(secret.tags);
    int index = 0;
    for (JsonNode t : in.path("Tags")) {
      index++;
      String key = t.path("Key").asText();
      String value = t.path("Value").asText();
      requireLength(key, 1, MAX_TAG_KEY, "tags." + index + ".member.key");
      requireLength(value, 0, MAX_TAG_VALUE, "tags." + index + ".member.value");
      if (key.startsWith("aws:")
          || !TAG_CHARS.matcher(key).matches()
          || !TAG_CHARS.matcher(value).matches()) {
        throw new Refusal("InvalidParameterException", "invalid tag " + key);
      }
      after.put(key, value);
    }
    if (after.size() > MAX_TAGS) {
      throw new Refusal(
          "InvalidRequestException",
          "The secret would have "
              + after.size()
              + " tags; the maximum number of tags per secret is "
              + MAX_TAGS
              + ".");
    }
    secret.tags.clear();
    secret.tags.putAll(after);
    return JSON.createObjectNode();
  }

  private ObjectNode untagResource(JsonNode in) {
    Secret secret = find(required(in, "SecretId"));
    in.path("TagKeys").forEach(k -> secret.tags.remove(k.asText()));
    return JSON.createObjectNode();
  }

  // The wording of AWS's request validation ("1 validation error detected: ...").
  private static void requireLength(String text, int min, int max, String member) {
    int length = text.codePointCount(0, text.length());
    if (length < min || length > max) {
      throw new Refusal(
          "ValidationException",
          "1 validation error detected: Value '"
              + text
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must have length "
              + (length < min
                  ? "greater than or equal to " + min
                  : "less than or equal to " + max));
    }
  }

  // --- the rules on labels ---

  private static void attach(Secret secret, Version target, String stage) {
    Version holder = secret.holder(stage);
    if (holder == target) {
      return;
    }
    if (holder != null) {
      holder.stages.remove(stage);
    }
    target.stages.add(stage);
    if (stage.equals("AWSCURRENT") && holder != null) {
      Version previous = secret.holder("AWSPREVIOUS");
      if (previous != null) {
        previous.stages.remove("AWSPREVIOUS");
      }
      holder.stages.add("AWSPREVIOUS");
    }
  }

  private ObjectNode versionAnswer(Secret secret, Version v) {
    ObjectNode out = identify(secret).put("VersionId", v.id);
    ArrayNode list = out.putArray("VersionStages");
    v.stages.forEach(list::add);
    return out;
  }

  private static ObjectNode identify(Secret secret) {
    return JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name);
  }

  private static ObjectNode error(String type, String message) {
    return JSON.createObjectNode().put("__type", type).put("message", message);
  }

  private Secret find(String secretId) {
    Secret secret = lookup(secretId);
    if (secret == null) {
      throw new Refusal(
          "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }
    return secret;
  }

  private Secret lookup(String secretId) {
    return secrets.values().stream()
        .filter(s -> s.name.equals(secretId) || s.arn.equals(secretId))
        .findFirst()
        .orElse(null);
  }

  private static byte[] value(JsonNode in) {
    if (in.has("SecretString")) {
      return in.get("SecretString").asText().getBytes(StandardCharsets.UTF_8);
    }
    if (in.has("SecretBinary")) {
      return Base64.getDecoder().decode(in.get("SecretBinary").asText());
    }
    throw new Refusal(
        "InvalidRequestException", "You must provide either SecretString or SecretBinary.");
  }

  private static String required(JsonNode in, String field) {
    String value = text(in, field, null);
    if (value == null) {
      throw new Refusal("InvalidParameterException", field + " is required");
    }
    return value;
  }

  private static String text(JsonNode in, String field, String fallback) {
    JsonNode node = in == null ? null : in.get(field);
    return node == null || node.isNull() ? fallback : node.asText();
  }

  private static final class Secret {
    final String name;
    final String arn;
    final Map<String, Version> versions = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();

    Secret(String name) {
      this.name = name;
      this.arn = arn(name);
    }

    Version add(String id, byte[] value, Instant created) {
      Version v = new Version(id, value, created);
      versions.put(id, v);
      return v;
    }

    Version holder(String stage) {
      return versions.values().stream()
          .filter(v -> v.stages.contains(stage))
          .findFirst()
          .orElse(null);
    }
  }

  private static final class Version {
    final String id;
    final byte[] value;
    final Instant created;
    final Set<String> stages = new LinkedHashSet<>();
    boolean text;

    Version(String id, byte[] value, Instant created) {
      this.id = id;
      this.value = value.clone();
      this.created = created;
    }

    boolean sameValue(byte[] other, boolean otherIsText) {
      return text == otherIsText && Arrays.equals(value, other);
    }
  }

  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String type;

    Refusal(String type, String message) {
      super(message);
      this.type = type;
    }
  }
}
