package io.breakglass.activities.crypto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The JSON form of envelope v1, for JSON columns: {@code
 * {"v":1,"kid":"<secret>:<versionId>","alg":"AES-256-GCM","nonce":"<b64>","ciphertext":"<b64>"}}.
 * Decoding accepts any field order and whitespace (PostgreSQL's {@code jsonb} reorders keys) but
 * refuses unknown, missing or repeated fields, and base64 other than the canonical padded form.
 */
public final class JsonEnvelopeCodec implements EnvelopeCodec {

  private static final JsonFactory JSON = new JsonFactory();
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

  @Override
  public Envelope decode(byte[] stored) {
    if (stored == null || stored.length == 0) {
      throw new EnvelopeException(EnvelopeException.Reason.TRUNCATED, "empty input");
    }
    Integer version = null;
    String kid = null;
    String alg = null;
    String nonce = null;
    String ciphertext = null;
    try (JsonParser parser = JSON.createParser(stored)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformed("not a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "v" ->
              version =
                  once(
                      version,
                      value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : null,
                      field);
          case "kid" -> kid = once(kid, text(parser, value), field);
          case "alg" -> alg = once(alg, text(parser, value), field);
          case "nonce" -> nonce = once(nonce, text(parser, value), field);
          case "ciphertext" -> ciphertext = once(ciphertext, text(parser, value), field);
          default -> throw malformed("unknown field");
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw malformed("trailing content");
      }
    } catch (EnvelopeException e) {
      throw e;
    } catch (IOException e) {
      throw e.getMessage().contains("end-of-input")
          ? new EnvelopeException(EnvelopeException.Reason.TRUNCATED, "JSON ends early")
          : malformed("invalid JSON");
    }
    if (version == null || kid == null || alg == null || nonce == null || ciphertext == null) {
      throw malformed("missing field");
    }
    if (version != Envelope.VERSION) {
      throw new EnvelopeException(
          EnvelopeException.Reason.UNSUPPORTED, "envelope version " + version);
    }
    if (!Envelope.ALGORITHM.equals(alg)) {
      throw new EnvelopeException(
          EnvelopeException.Reason.UNSUPPORTED, "algorithm is not AES-256-GCM");
    }
    return new Envelope(KeyId.parse(kid), base64(nonce), base64(ciphertext));
  }

  @Override
  public byte[] encode(Envelope envelope) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(envelope.ciphertext().length * 4 / 3 + 128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("v", Envelope.VERSION);
      json.writeStringField("kid", envelope.keyId().toString());
      json.writeStringField("alg", Envelope.ALGORITHM);
      json.writeStringField("nonce", B64.encodeToString(envelope.nonce()));
      json.writeStringField("ciphertext", B64.encodeToString(envelope.ciphertext()));
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static <T> T once(T previous, T value, String field) {
    if (previous != null) {
      throw malformed("field " + field + " repeated");
    }
    if (value == null) {
      throw malformed("field " + field + " has the wrong type");
    }
    return value;
  }

  private static String text(JsonParser parser, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
  }

  private static byte[] base64(String text) {
    byte[] bytes;
    try {
      bytes = B64_DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed("invalid base64");
    }
    // The decoder ignores the unused low bits of the last character and accepts missing padding,
    // so several texts decode to the same bytes: accept only the one encode() writes.
    if (!canonical(text)) {
      throw malformed("base64 is not canonical");
    }
    return bytes;
  }

  /**
   * Whether text the decoder accepted is what the encoder writes: padded to a multiple of four, the
   * unused low bits of the character before the padding zero (four of them before "==", two before
   * "="). Checked in place rather than by encoding the bytes again for every value.
   */
  private static boolean canonical(String text) {
    int length = text.length();
    if (length % 4 != 0) {
      return false;
    }
    if (length >= 4 && text.charAt(length - 2) == '=') {
      return (sextet(text.charAt(length - 3)) & 0x0f) == 0;
    }
    if (length >= 4 && text.charAt(length - 1) == '=') {
      return (sextet(text.charAt(length - 2)) & 0x03) == 0;
    }
    return true;
  }

  /** The value of a character of the base64 alphabet (the decoder has checked it is one). */
  private static int sextet(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '+' ? 62 : 63;
  }

  private static EnvelopeException malformed(String why) {
    return new EnvelopeException(EnvelopeException.Reason.MALFORMED, why);
  }
}
