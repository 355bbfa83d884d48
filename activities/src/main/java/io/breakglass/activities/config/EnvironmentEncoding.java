package io.breakglass.activities.config;

/** How a key's material becomes the text of an environment variable. */
public enum EnvironmentEncoding {
  /**
   * The material's bytes, base64-encoded: for binary keys (a 32-byte AES key becomes 44
   * characters).
   */
  BASE64,
  /** The material as it is, read as UTF-8: for values that are text already (an API key). */
  TEXT
}
