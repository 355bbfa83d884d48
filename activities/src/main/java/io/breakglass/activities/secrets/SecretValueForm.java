package io.breakglass.activities.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretEncoding;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Turns a secret's value between the bytes Breakglass works on and the form its store keeps ({@link
 * SecretEncoding}). Base64 is written with padding and no line breaks, and read with surrounding
 * whitespace (a trailing newline) ignored. In a JSON field, keys are base64 and API keys are text.
 * A value that does not read in its form is refused naming the secret, version and encoding, never
 * the value: parser messages, which quote their input, are not kept.
 */
final class SecretValueForm {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DATA_KEY_BYTES = 32;

  private final SecretConfig secret;

  SecretValueForm(SecretConfig secret) {
    this.secret = secret;
  }

  /** Whether a new value is written into the value it replaces (JSON_FIELD), not on its own. */
  boolean keepsOtherFields() {
    return secret.encoding() == SecretEncoding.JSON_FIELD;
  }

  /** The key's bytes from the stored value of {@code versionId}. */
  byte[] read(String versionId, byte[] stored) {
    byte[] value =
        switch (secret.encoding()) {
          case RAW -> stored.clone();
          case BASE64 -> base64(versionId, text(stored));
          case JSON_FIELD -> fieldValue(versionId, stored);
        };
    if (secret.kind() == SecretKind.DATA_KEY && value.length != DATA_KEY_BYTES) {
      int length = value.length;
      Arrays.fill(value, (byte) 0);
      throw refused(
          versionId,
          "decodes to " + length + " bytes, not the " + DATA_KEY_BYTES + " bytes of a data key");
    }
    return value;
  }

  /**
   * The stored form of {@code value}. For JSON_FIELD, {@code template} is the stored value of the
   * version it replaces (null for none): its other fields are kept, so the application's other
   * settings in the same secret survive a rotation.
   */
  byte[] write(byte[] value, String templateVersionId, byte[] template) {
    return switch (secret.encoding()) {
      case RAW -> value.clone();
      case BASE64 -> Base64.getEncoder().encode(value);
      case JSON_FIELD -> {
        ObjectNode object =
            template == null ? JSON.createObjectNode() : object(templateVersionId, template);
        object.put(secret.jsonField(), fieldText(value));
        try {
          yield JSON.writeValueAsBytes(object);
        } catch (IOException e) {
          throw new IllegalStateException("cannot write the JSON value of " + secret.name());
        }
      }
    };
  }

  private byte[] fieldValue(String versionId, byte[] stored) {
    JsonNode field = object(versionId, stored).get(secret.jsonField());
    if (field == null || !field.isTextual()) {
      throw refused(versionId, "has no text field " + secret.jsonField());
    }
    return secret.kind() == SecretKind.API_KEY
        ? field.asText().getBytes(StandardCharsets.UTF_8)
        : base64(versionId, field.asText());
  }

  private String fieldText(byte[] value) {
    return secret.kind() == SecretKind.API_KEY
        ? new String(value, StandardCharsets.UTF_8)
        : Base64.getEncoder().encodeToString(value);
  }

  private ObjectNode object(String versionId, byte[] stored) {
    JsonNode node;
    try {
      node = JSON.readTree(stored);
    } catch (IOException e) {
      throw refused(versionId, "is not JSON"); // not chained: the parser quotes the value
    }
    if (node == null || !node.isObject()) {
      throw refused(versionId, "is not a JSON object");
    }
    return (ObjectNode) node;
  }

  private byte[] base64(String versionId, String text) {
    try {
      return Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw refused(versionId, "is not base64 text"); // not chained: the message names a character
    }
  }

  private static String text(byte[] stored) {
    return new String(stored, StandardCharsets.UTF_8);
  }

  private SecretStoreException refused(String versionId, String why) {
    String where =
        secret.encoding() == SecretEncoding.JSON_FIELD
            ? "encoding JSON_FIELD (field " + secret.jsonField() + ")"
            : "encoding " + secret.encoding();
    return new SecretStoreException(
        RotationErrors.INVALID_CONFIGURATION,
        "version " + versionId + " of secret " + secret.name() + " under " + where + " " + why);
  }
}
