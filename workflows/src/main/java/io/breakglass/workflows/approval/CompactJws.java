package io.breakglass.workflows.approval;

import static io.breakglass.workflows.approval.ProofRefusedException.refused;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breakglass.workflows.messages.commands.CommandJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A compact JWS (RFC 7515) taken apart, nothing verified yet: the header and claims as JSON
 * objects, the signing input and the signature bytes. Parsing is strict: at most {@value
 * #MAX_LENGTH} characters, canonical unpadded base64url, UTF-8 JSON objects without repeated
 * members (so no two readers see different claims).
 */
final class CompactJws {

  /** The longest proof read. */
  static final int MAX_LENGTH = CommandJson.MAX_PROOF;

  /** 9999-12-31T23:59:59Z: later NumericDates are refused rather than overflow a time. */
  private static final long LATEST = 253_402_300_799L;

  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ObjectNode header;
  private final ObjectNode claims;
  private final String signingInput;
  private final byte[] signature;

  private CompactJws(ObjectNode header, ObjectNode claims, String signingInput, byte[] signature) {
    this.header = header;
    this.claims = claims;
    this.signingInput = signingInput;
    this.signature = signature;
  }

  /** Takes {@code proof} apart, or refuses it naming what is malformed. */
  static CompactJws parse(String proof) throws ProofRefusedException {
    if (proof == null || proof.isEmpty()) {
      throw refused("the proof is empty");
    }
    if (proof.length() > MAX_LENGTH) {
      throw refused("the proof is longer than " + MAX_LENGTH + " characters");
    }
    String[] parts = proof.split("\\.", -1);
    if (parts.length != 3) {
      throw refused("a proof is a compact JWS: three base64url parts separated by dots");
    }
    ObjectNode header = object(decode(parts[0], "header"), "header");
    ObjectNode claims = object(decode(parts[1], "claims"), "claims");
    byte[] signature = decode(parts[2], "signature");
    return new CompactJws(header, claims, parts[0] + "." + parts[1], signature);
  }

  /** A header member as text, or null when absent or not a string. */
  String header(String name) {
    JsonNode value = header.get(name);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** True when the header has member {@code name}, whatever its value. */
  boolean hasHeader(String name) {
    return header.has(name);
  }

  /** A claim as text, or null when absent or not a string. */
  String claim(String name) {
    JsonNode value = claims.get(name);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** A claim as JSON, or null when absent. */
  JsonNode claimNode(String name) {
    return claims.get(name);
  }

  /**
   * A NumericDate claim ({@code exp}, {@code nbf}, {@code iat}) in whole epoch seconds, null when
   * absent; refused when present but not a number.
   */
  Long numericDate(String name) throws ProofRefusedException {
    JsonNode value = claims.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw refused("the proof's " + name + " is not a number of seconds");
    }
    double seconds = Math.floor(value.asDouble());
    if (seconds < 0 || seconds > LATEST) {
      throw refused("the proof's " + name + " is not a time between 1970 and 9999");
    }
    return (long) seconds;
  }

  /** What the signature covers: the first two parts as they were sent. */
  String signingInput() {
    return signingInput;
  }

  byte[] signature() {
    return signature.clone();
  }

  private static byte[] decode(String part, String what) throws ProofRefusedException {
    if (!BASE64URL.matcher(part).matches()) {
      throw refused("the proof's " + what + " is not base64url");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException malformed) {
      throw refused("the proof's " + what + " is not base64url");
    }
    // Unused trailing bits would let two texts stand for the same bytes.
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
      throw refused("the proof's " + what + " is not canonical base64url");
    }
    return bytes;
  }

  private static ObjectNode object(byte[] bytes, String what) throws ProofRefusedException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException notUtf8) {
      throw refused("the proof's " + what + " is not UTF-8");
    }
    JsonNode json;
    try {
      json = JSON.readTree(text);
    } catch (Exception notJson) {
      // Jackson's message would echo the input; the reason is enough.
      throw refused("the proof's " + what + " is not a JSON object (or repeats a member)");
    }
    if (json == null || !json.isObject()) {
      throw refused("the proof's " + what + " is not a JSON object");
    }
    return (ObjectNode) json;
  }
}
