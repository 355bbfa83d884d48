package io.breakglass.activities.crypto;

/**
 * An envelope that cannot be read or does not decrypt. The message names the reason and, where
 * known, the key id; it never holds plaintext, ciphertext or key material.
 */
public final class EnvelopeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why an envelope was refused. */
  public enum Reason {
    /** Not an envelope: bad JSON, bad base64, wrong magic byte, missing field. */
    MALFORMED,
    /** Shorter than its own header says. */
    TRUNCATED,
    /** An envelope version or algorithm this code does not know. */
    UNSUPPORTED,
    /** The key id names no version the keyring can use. */
    UNKNOWN_KEY_ID,
    /** The tag did not verify: wrong key, tampered bytes, or moved to another item. */
    AUTHENTICATION_FAILED
  }

  private final Reason reason;

  public EnvelopeException(Reason reason, String message) {
    super(reason + ": " + message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
