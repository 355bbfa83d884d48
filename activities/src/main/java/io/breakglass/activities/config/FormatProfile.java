package io.breakglass.activities.config;

import java.util.Map;

/**
 * How a data set's items are written: Breakglass's envelope v1 (the default), or the JSON envelope
 * the application already uses. Breakglass reads and writes each data set in its own profile, so
 * the application keeps reading its items during and after a rotation. Both are AES-256-GCM with a
 * 12-byte nonce and a 16-byte tag.
 *
 * @param kind which envelope
 * @param ciphertextField for APPLICATION_JSON: the field holding the ciphertext
 * @param nonceField for APPLICATION_JSON: the field holding the 12-byte nonce
 * @param tagField for APPLICATION_JSON: the field holding the 16-byte tag, or null when the tag
 *     follows the ciphertext in its field (as most AES-GCM libraries return it)
 * @param keyIdField for APPLICATION_JSON: the field holding the id of the secret's version that
 *     encrypted the item, or null when the format names no key: then each item is decrypted with
 *     the secret's keys in trial order until one authenticates
 * @param encoding for APPLICATION_JSON: how bytes are written as text (default BASE64)
 * @param fixedFields for APPLICATION_JSON: string fields every item carries with exactly these
 *     values (a scheme or version marker); written as they are, and an item without them is refused
 * @param associatedDataConstant for associatedData CONSTANT: the text (UTF-8) every item is bound
 *     to
 */
public record FormatProfile(
    Kind kind,
    String ciphertextField,
    String nonceField,
    String tagField,
    String keyIdField,
    Encoding encoding,
    Map<String, String> fixedFields,
    String associatedDataConstant) {

  /** The envelopes a data set can hold. */
  public enum Kind {
    /** Breakglass's envelope v1, JSON or binary as the data set's {@code format} says. */
    BREAKGLASS_V1,
    /** A JSON object with configurable field names, see {@link FormatProfile}. */
    APPLICATION_JSON
  }

  /** How an application JSON envelope writes bytes as text. */
  public enum Encoding {
    /** Standard base64 with padding ({@code +/}); read also without padding. */
    BASE64,
    /** Lowercase hexadecimal; read in either case. */
    HEX
  }

  /** Envelope v1, no constant binding: the profile of a data set that names none. */
  public static final FormatProfile BREAKGLASS_V1 =
      new FormatProfile(Kind.BREAKGLASS_V1, null, null, null, null, null, null, null);

  public FormatProfile {
    kind = kind == null ? Kind.BREAKGLASS_V1 : kind;
    encoding = encoding == null ? Encoding.BASE64 : encoding;
    fixedFields = fixedFields == null ? Map.of() : Map.copyOf(fixedFields);
  }

  /** Whether items carry a key id (envelope v1 always does). */
  public boolean namesKeys() {
    return kind == Kind.BREAKGLASS_V1 || keyIdField != null;
  }
}
