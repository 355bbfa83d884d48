package io.breakglass.activities.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The streaming envelope v1, for backups too large for one AES-GCM call (Java buffers a whole GCM
 * decryption before it releases a byte). Layout:
 *
 * <pre>
 *   magic "BGSE" (4 bytes), format version 0x01 (1 byte),
 *   key id length (1 byte), key id (UTF-8),
 *   nonce prefix (7 random bytes),
 *   segments: AES-256-GCM ciphertext and 16-byte tag of {@value #SEGMENT_BYTES} plaintext bytes
 *   each, except the final segment, which holds 0 to {@value #SEGMENT_BYTES}.
 * </pre>
 *
 * The nonce of segment {@code i} is {@code prefix || i (4 bytes, big-endian) || final (1 byte: 1
 * for the final segment, else 0)}, and every segment carries the caller's associated data. So a
 * segment that is moved, dropped, repeated or altered does not verify, and a stream cut after a
 * segment boundary lacks the segment marked final: truncation is detected, never a short read.
 * The header needs no tag of its own: a changed key id or prefix changes the key or the nonces.
 *
 * @see EncryptingOutputStream
 * @see DecryptingInputStream
 */
public final class StreamingEnvelope {

  /** The format version this code writes and reads. */
  public static final int VERSION = 1;

  /** Plaintext bytes per segment (1 MiB); the final segment may hold fewer. */
  public static final int SEGMENT_BYTES = 1 << 20;

  /** Ciphertext bytes of a full segment: its plaintext plus the tag. */
  static final int SEALED_SEGMENT_BYTES = SEGMENT_BYTES + Envelope.TAG_BYTES;

  static final int PREFIX_BYTES = 7;

  /** The segment index is 4 bytes in the nonce. */
  static final long MAX_SEGMENTS = 1L << 32;

  private static final byte[] MAGIC = {'B', 'G', 'S', 'E'};

  private StreamingEnvelope() {}

  /** The nonce of segment {@code index}. */
  static byte[] nonce(byte[] prefix, long index, boolean last) {
    return ByteBuffer.allocate(Envelope.NONCE_BYTES)
        .put(prefix)
        .putInt((int) index)
        .put((byte) (last ? 1 : 0))
        .array();
  }

  /** Writes the header. */
  static void writeHeader(OutputStream out, KeyId keyId, byte[] prefix) throws IOException {
    byte[] kid = keyId.toString().getBytes(StandardCharsets.UTF_8);
    if (kid.length > 255) {
      throw new IllegalArgumentException("key id longer than 255 bytes: " + keyId);
    }
    out.write(MAGIC);
    out.write(VERSION);
    out.write(kid.length);
    out.write(kid);
    out.write(prefix);
  }

  /**
   * Reads a header.
   *
   * @throws EnvelopeException {@code MALFORMED} (not a streaming envelope), {@code UNSUPPORTED}
   *     (another format version) or {@code TRUNCATED} (the input ends inside the header)
   */
  static Header readHeader(InputStream in) throws IOException {
    byte[] magic = exactly(in, MAGIC.length, "magic");
    if (!Arrays.equals(magic, MAGIC)) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "not a streaming envelope");
    }
    int version = exactly(in, 1, "format version")[0] & 0xff;
    if (version != VERSION) {
      throw new EnvelopeException(
          EnvelopeException.Reason.UNSUPPORTED, "streaming envelope version " + version);
    }
    int kidLength = exactly(in, 1, "key id length")[0] & 0xff;
    KeyId keyId = KeyId.parse(new String(exactly(in, kidLength, "key id"), StandardCharsets.UTF_8));
    return new Header(keyId, exactly(in, PREFIX_BYTES, "nonce prefix"));
  }

  private static byte[] exactly(InputStream in, int n, String what) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new EnvelopeException(EnvelopeException.Reason.TRUNCATED, "the header ends inside its " + what);
    }
    return bytes;
  }

  /**
   * A stream's header.
   *
   * @param keyId the key its segments are encrypted under
   * @param prefix the nonce prefix
   */
  record Header(KeyId keyId, byte[] prefix) {}
}
