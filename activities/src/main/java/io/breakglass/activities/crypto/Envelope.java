package io.breakglass.activities.crypto;

import java.util.Arrays;

/**
 * Envelope v1: AES-256-GCM output with the key id inside, so any version in a keyring can
 * decrypt it (docs/design.md, contracts). It has two encodings: {@link JsonEnvelopeCodec} for JSON columns and
 * {@link BinaryEnvelopeCodec} for files and blobs.
 *
 * @param keyId the key that encrypted it
 * @param nonce 12 random bytes
 * @param ciphertext the ciphertext followed by the 16-byte tag
 */
public record Envelope(KeyId keyId, byte[] nonce, byte[] ciphertext) {

  /** The only envelope version there is. */
  public static final int VERSION = 1;

  /** The algorithm name the JSON form carries. */
  public static final String ALGORITHM = "AES-256-GCM";

  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;

  public Envelope {
    if (nonce.length != NONCE_BYTES) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "nonce is not 12 bytes");
    }
    if (ciphertext.length < TAG_BYTES) {
      throw new EnvelopeException(EnvelopeException.Reason.TRUNCATED, "ciphertext is shorter than its tag");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Envelope that
        && keyId.equals(that.keyId)
        && Arrays.equals(nonce, that.nonce)
        && Arrays.equals(ciphertext, that.ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * keyId.hashCode() + Arrays.hashCode(nonce)) + Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "Envelope[" + keyId + ", " + ciphertext.length + " bytes]";
  }
}
