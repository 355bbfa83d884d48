package io.breakglass.activities.config;

/**
 * The form a secret's value takes in its store, which Breakglass reads and writes in that form so
 * the application keeps reading it as before. Breakglass itself always works on the key's bytes.
 */
public enum SecretEncoding {
  /** The bytes as they are: binary for keys, text for API keys (the default). */
  RAW,
  /** Base64 text of the bytes, e.g. a 32-byte data key kept as 44 characters of text. */
  BASE64,
  /**
   * One string field ({@code jsonField}) of a JSON object; the field holds base64 of the key's
   * bytes, or an API key's text. Other fields are kept when a new version is written.
   */
  JSON_FIELD
}
