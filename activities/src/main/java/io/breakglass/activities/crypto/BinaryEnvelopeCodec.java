package io.breakglass.activities.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary form of envelope v1, for files and blobs: magic byte {@code 0x01}, key id length (1
 * byte), key id (UTF-8), 12-byte nonce, ciphertext and 16-byte tag.
 */
public final class BinaryEnvelopeCodec implements EnvelopeCodec {

  /** The first byte of every binary envelope v1. */
  public static final byte MAGIC = 0x01;

  @Override
  public Envelope decode(byte[] stored) {
    if (stored == null || stored.length == 0) {
      throw new EnvelopeException(EnvelopeException.Reason.TRUNCATED, "empty input");
    }
    if (stored[0] != MAGIC) {
      throw new EnvelopeException(EnvelopeException.Reason.UNSUPPORTED, "unknown magic byte");
    }
    if (stored.length < 2) {
      throw new EnvelopeException(EnvelopeException.Reason.TRUNCATED, "no key id length");
    }
    int kidLength = stored[1] & 0xff;
    int nonceAt = 2 + kidLength;
    int ciphertextAt = nonceAt + Envelope.NONCE_BYTES;
    if (stored.length < ciphertextAt + Envelope.TAG_BYTES) {
      throw new EnvelopeException(
          EnvelopeException.Reason.TRUNCATED, "shorter than its header says");
    }
    KeyId keyId = KeyId.parse(new String(stored, 2, kidLength, StandardCharsets.UTF_8));
    return new Envelope(
        keyId,
        Arrays.copyOfRange(stored, nonceAt, ciphertextAt),
        Arrays.copyOfRange(stored, ciphertextAt, stored.length));
  }

  @Override
  public byte[] encode(Envelope envelope) {
    byte[] kid = envelope.keyId().toString().getBytes(StandardCharsets.UTF_8);
    if (kid.length > 255) {
      throw new IllegalArgumentException("key id longer than 255 bytes: " + envelope.keyId());
    }
    byte[] out = new byte[2 + kid.length + Envelope.NONCE_BYTES + envelope.ciphertext().length];
    out[0] = MAGIC;
    out[1] = (byte) kid.length;
    System.arraycopy(kid, 0, out, 2, kid.length);
    System.arraycopy(envelope.nonce(), 0, out, 2 + kid.length, Envelope.NONCE_BYTES);
    System.arraycopy(
        envelope.ciphertext(),
        0,
        out,
        2 + kid.length + Envelope.NONCE_BYTES,
        envelope.ciphertext().length);
    return out;
  }

  /** The key id of a stored binary envelope, read without decoding the rest. */
  public KeyId keyIdOf(byte[] stored) {
    return decode(stored).keyId();
  }
}
