package io.breakglass.activities.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * Envelope v1: AES-256-GCM output with the key id inside, so any version in a keyring can decrypt
 * it (docs/architecture.md, contracts). It has two encodings: {@link JsonEnvelopeCodec} for JSON
 * columns and {@link BinaryEnvelopeCodec} for files and blobs.
 *
 * <p>An application's own format may name no key: such an envelope knows only its secret, and
 * {@link EnvelopeCipher#open} finds the version whose key authenticates it.
 *
 * @param keyId the key that encrypted it, or null when the stored form names none
 * @param secret the secret whose key encrypted it
 * @param nonce 12 random bytes
 * @param ciphertext the ciphertext followed by the 16-byte tag
 */
public record Envelope(KeyId keyId, String secret, byte[] nonce, byte[] ciphertext) {

  /** The only envelope version there is. */
  public static final int VERSION = 1;

  /** The algorithm name the JSON form carries. */
  public static final String ALGORITHM = "AES-256-GCM";

  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;

  public Envelope {
    if (keyId != null && !keyId.secret().equals(secret)) {
      throw new IllegalArgumentException("key id " + keyId + " is not a key of " + secret);
    }
    if (nonce.length != NONCE_BYTES) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "nonce is not 12 bytes");
    }
    if (ciphertext.length < TAG_BYTES) {
      throw new EnvelopeException(
          EnvelopeException.Reason.TRUNCATED, "ciphertext is shorter than its tag");
    }
  }

  /** An envelope that names its key. */
  public Envelope(KeyId keyId, byte[] nonce, byte[] ciphertext) {
    this(keyId, keyId.secret(), nonce, ciphertext);
  }

  /** An envelope whose stored form names no key, only (by its data set) the secret. */
  public static Envelope unnamed(String secret, byte[] nonce, byte[] ciphertext) {
    return new Envelope(null, secret, nonce, ciphertext);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Envelope that
        && Objects.equals(keyId, that.keyId)
        && secret.equals(that.secret)
        && Arrays.equals(nonce, that.nonce)
        && Arrays.equals(ciphertext, that.ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Objects.hash(keyId, secret) + Arrays.hashCode(nonce))
        + Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "Envelope["
        + (keyId == null ? secret + ":?" : keyId)
        + ", "
        + ciphertext.length
        + " bytes]";
  }
}
