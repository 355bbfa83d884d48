package io.breakglass.activities.crypto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.breakglass.activities.config.FormatProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An application's own JSON envelope (AES-256-GCM), with the field names and byte encoding its
 * {@link FormatProfile} gives, e.g. {@code {"iv":"<b64>","data":"<b64>","tag":"<b64>"}}. The key id
 * field, when there is one, holds the id of the data set's secret's version. Decoding accepts any
 * field order and whitespace (PostgreSQL's {@code jsonb} reorders keys) but refuses fields the
 * profile does not name, so a rewrite never drops something the application stored.
 */
public final class ApplicationJsonCodec implements EnvelopeCodec {

  private static final JsonFactory JSON = new JsonFactory();
  private static final HexFormat HEX = HexFormat.of();

  private final String secret;
  private final FormatProfile profile;
  private final Set<String> fields;

  /**
   * @param secret the data set's secret: a key id field names one of its versions
   * @throws IllegalArgumentException when the profile lacks a ciphertext or nonce field, or names
   *     one field twice
   */
  public ApplicationJsonCodec(String secret, FormatProfile profile) {
    if (profile.ciphertextField() == null || profile.nonceField() == null) {
      throw new IllegalArgumentException(
          "an APPLICATION_JSON profile names its ciphertextField and nonceField");
    }
    String[] named = {
      profile.ciphertextField(), profile.nonceField(), profile.tagField(), profile.keyIdField()
    };
    Set<String> all = new HashSet<>(profile.fixedFields().keySet());
    int count = all.size();
    for (String field : named) {
      if (field != null) {
        all.add(field);
        count++;
      }
    }
    if (all.size() != count) {
      throw new IllegalArgumentException("an APPLICATION_JSON profile names a field twice");
    }
    this.secret = secret;
    this.profile = profile;
    this.fields = Set.copyOf(all);
  }

  @Override
  public Envelope decode(byte[] stored) {
    if (stored == null || stored.length == 0) {
      throw new EnvelopeException(EnvelopeException.Reason.TRUNCATED, "empty input");
    }
    Map<String, String> values = new HashMap<>();
    try (JsonParser parser = JSON.createParser(stored)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformed("not a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!fields.contains(field)) {
          throw malformed("field " + field + " is not in the profile");
        }
        if (value != JsonToken.VALUE_STRING) {
          throw malformed("field " + field + " is not a string");
        }
        if (values.put(field, parser.getText()) != null) {
          throw malformed("field " + field + " repeated");
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
    if (values.size() != fields.size()) {
      throw malformed("missing field");
    }
    profile
        .fixedFields()
        .forEach(
            (field, expected) -> {
              if (!expected.equals(values.get(field))) {
                throw new EnvelopeException(
                    EnvelopeException.Reason.UNSUPPORTED, "field " + field + " is not " + expected);
              }
            });
    byte[] nonce = bytes(values.get(profile.nonceField()), profile.nonceField());
    byte[] ciphertext = bytes(values.get(profile.ciphertextField()), profile.ciphertextField());
    if (profile.tagField() != null) {
      byte[] tag = bytes(values.get(profile.tagField()), profile.tagField());
      if (tag.length != Envelope.TAG_BYTES) {
        throw malformed("tag is not 16 bytes");
      }
      byte[] joined = Arrays.copyOf(ciphertext, ciphertext.length + tag.length);
      System.arraycopy(tag, 0, joined, ciphertext.length, tag.length);
      ciphertext = joined;
    }
    if (profile.keyIdField() == null) {
      return Envelope.unnamed(secret, nonce, ciphertext);
    }
    String versionId = values.get(profile.keyIdField());
    if (versionId.isEmpty()) {
      throw malformed("key id is empty");
    }
    return new Envelope(new KeyId(secret, versionId), nonce, ciphertext);
  }

  /** Writes the profile's fields in a fixed order: fixed fields, key id, nonce, ciphertext, tag. */
  @Override
  public byte[] encode(Envelope envelope) {
    if (profile.keyIdField() != null && envelope.keyId() == null) {
      throw new IllegalArgumentException(
          "the profile has a key id field, the envelope names no key");
    }
    byte[] sealed = envelope.ciphertext();
    int split = profile.tagField() == null ? sealed.length : sealed.length - Envelope.TAG_BYTES;
    ByteArrayOutputStream out = new ByteArrayOutputStream(sealed.length * 2 + 128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      for (Map.Entry<String, String> fixed : new TreeMap<>(profile.fixedFields()).entrySet()) {
        json.writeStringField(fixed.getKey(), fixed.getValue());
      }
      if (profile.keyIdField() != null) {
        json.writeStringField(profile.keyIdField(), envelope.keyId().versionId());
      }
      json.writeStringField(
          profile.nonceField(), text(envelope.nonce(), 0, envelope.nonce().length));
      json.writeStringField(profile.ciphertextField(), text(sealed, 0, split));
      if (profile.tagField() != null) {
        json.writeStringField(profile.tagField(), text(sealed, split, sealed.length));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private String text(byte[] bytes, int from, int to) {
    byte[] part = Arrays.copyOfRange(bytes, from, to);
    return profile.encoding() == FormatProfile.Encoding.HEX
        ? HEX.formatHex(part)
        : Base64.getEncoder().encodeToString(part);
  }

  private byte[] bytes(String text, String field) {
    try {
      return profile.encoding() == FormatProfile.Encoding.HEX
          ? HEX.parseHex(text)
          : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed(
          "field " + field + " is not " + profile.encoding().name().toLowerCase(Locale.ROOT));
    }
  }

  private static EnvelopeException malformed(String why) {
    return new EnvelopeException(EnvelopeException.Reason.MALFORMED, why);
  }
}
