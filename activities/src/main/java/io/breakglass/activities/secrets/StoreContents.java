package io.breakglass.activities.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breakglass.workflows.RotationErrors;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the local store holds, decrypted: secrets with their versions, and staged operator
 * values (kept apart so {@link SecretStore#describe} never sees them). Its JSON form, which only
 * ever exists encrypted on disk:
 *
 * <pre>{@code
 * {"secrets":{"jwt":[{"id":"…","material":"<b64>","labels":["CURRENT"],"status":"ACTIVE",
 *   "metadata":{"version":"1",…},"createdAt":"…","statusChangedAt":null}]},
 *  "staged":{"openai":"<b64>"}}
 * }</pre>
 */
final class StoreContents {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, StoredSecret> secrets = new TreeMap<>();
  private final Map<String, byte[]> staged = new TreeMap<>();

  Optional<StoredSecret> find(String secret) {
    return Optional.ofNullable(secrets.get(secret));
  }

  StoredSecret secret(String secret) {
    return find(secret)
        .orElseThrow(
            () ->
                new SecretStoreException(
                    RotationErrors.VERSION_NOT_FOUND, "secret " + secret + " does not exist"));
  }

  StoredSecret secretOrCreate(String secret) {
    return secrets.computeIfAbsent(secret, name -> new StoredSecret(name, List.of()));
  }

  /** A copy of the staged value, or null. */
  byte[] staged(String secret) {
    byte[] value = staged.get(secret);
    return value == null ? null : value.clone();
  }

  void stage(String secret, byte[] value) {
    staged.put(secret, value.clone());
  }

  void clearStaged(String secret) {
    staged.remove(secret);
  }

  byte[] toJson() {
    List<byte[]> copies = new ArrayList<>();
    ObjectNode root = JSON.createObjectNode();
    ObjectNode secretsNode = root.putObject("secrets");
    secrets.forEach(
        (name, secret) -> {
          ArrayNode versions = secretsNode.putArray(name);
          secret.versions.forEach(v -> versions.add(toJson(v, copies)));
        });
    ObjectNode stagedNode = root.putObject("staged");
    staged.forEach(stagedNode::put);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize the store document", e);
    } finally {
      copies.forEach(copy -> Arrays.fill(copy, (byte) 0));
    }
  }

  /**
   * Parses the decrypted document.
   *
   * @throws IllegalArgumentException when it is not a store document (message holds no content)
   */
  static StoreContents fromJson(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      // Not chained: the parser's message quotes the document, which holds material.
      throw new IllegalArgumentException("not JSON");
    }
    StoreContents contents = new StoreContents();
    for (Map.Entry<String, JsonNode> secret : object(root, "secrets").properties()) {
      List<StoredVersion> versions = new ArrayList<>();
      for (JsonNode version : array(secret.getValue())) {
        versions.add(version(version));
      }
      contents.secrets.put(secret.getKey(), new StoredSecret(secret.getKey(), versions));
    }
    for (Map.Entry<String, JsonNode> value : object(root, "staged").properties()) {
      contents.staged.put(value.getKey(), binary(value.getValue()));
    }
    return contents;
  }

  /**
   * @param copies collects the material copies the node holds, wiped once it is written
   */
  private static ObjectNode toJson(StoredVersion version, List<byte[]> copies) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", version.versionId);
    byte[] material = version.material();
    copies.add(material);
    node.put("material", material);
    ArrayNode labels = node.putArray("labels");
    version.labels.forEach(label -> labels.add(label.name()));
    node.put("status", version.status.name());
    ObjectNode metadata = node.putObject("metadata");
    version.metadata.forEach(metadata::put);
    node.put("createdAt", version.createdAt.toString());
    node.put(
        "statusChangedAt",
        version.statusChangedAt == null ? null : version.statusChangedAt.toString());
    return node;
  }

  private static StoredVersion version(JsonNode node) {
    EnumSet<Label> labels = EnumSet.noneOf(Label.class);
    for (JsonNode label : array(node.path("labels"))) {
      labels.add(Label.valueOf(label.asText()));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : object(node, "metadata").properties()) {
      metadata.put(entry.getKey(), entry.getValue().asText());
    }
    JsonNode changed = node.path("statusChangedAt");
    return new StoredVersion(
        text(node, "id"),
        binary(node.path("material")),
        labels,
        VersionStatus.valueOf(text(node, "status")),
        metadata,
        Instant.parse(text(node, "createdAt")),
        changed.isTextual() ? Instant.parse(changed.asText()) : null);
  }

  private static JsonNode object(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isObject()) {
      throw new IllegalArgumentException("missing object " + field);
    }
    return value;
  }

  private static JsonNode array(JsonNode value) {
    if (!value.isArray()) {
      throw new IllegalArgumentException("missing array");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("missing text " + field);
    }
    return value.asText();
  }

  private static byte[] binary(JsonNode node) {
    try {
      if (!node.isTextual()) {
        throw new IllegalArgumentException("missing base64 value");
      }
      return node.binaryValue();
    } catch (IOException e) {
      throw new IllegalArgumentException("bad base64 value");
    }
  }
}
