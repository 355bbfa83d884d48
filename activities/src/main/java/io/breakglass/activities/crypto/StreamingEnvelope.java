package io.breakglass.activities.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The streaming envelope, for backups and objects too large for one AES-GCM call (Java buffers a
 * whole GCM decryption before it releases a byte). Version 2, the one written, is laid out as:
 *
 * <pre>
 *   magic "BGSE" (4 bytes), format version 0x02 (1 byte),
 *   key id length (1 byte), key id (UTF-8),
 *   salt ({@value #SALT_BYTES} random bytes), nonce prefix ({@value #PREFIX_BYTES} random bytes),
 *   segments: AES-256-GCM ciphertext and 16-byte tag of {@value #SEGMENT_BYTES} plaintext bytes
 *   each, except the final segment, which holds 0 to {@value #SEGMENT_BYTES}.
 * </pre>
 *
 * Every stream has a key of its own, {@code HKDF-SHA256(key, salt, header || associated data)},
 * where {@code key} is the data or backup key the key id names and {@code header} every header byte
 * above (the AES-GCM-HKDF streaming design of Tink). A random nonce under one key repeats with
 * probability about n²/2⁹⁷ after n streams; with a fresh key per stream, two streams share a key
 * only when their 256-bit salts collide, so the count of streams under one data key no longer
 * matters. Since the key covers the header and the associated data, a changed byte of either
 * changes the key and no segment verifies.
 *
 * <p>The nonce of segment {@code i} is {@code prefix || i (4 bytes, big-endian) || final (1 byte: 1
 * for the final segment, else 0)}. So a segment that is moved, dropped, repeated or altered does
 * not verify, and a stream cut after a segment boundary lacks the segment marked final: truncation
 * is detected, never a short read.
 *
 * <p>Version {@value #FIRST_VERSION} (no salt; segments under the data key itself, the associated
 * data as each segment's GCM associated data) is still read, so backups and objects written before
 * version 2 stay readable; it is never written.
 *
 * @see EncryptingOutputStream
 * @see DecryptingInputStream
 */
public final class StreamingEnvelope {

  /** The format version this code writes. */
  public static final int VERSION = 2;

  /** The first format version: read, never written. */
  public static final int FIRST_VERSION = 1;

  /** Plaintext bytes per segment (1 MiB); the final segment may hold fewer. */
  public static final int SEGMENT_BYTES = 1 << 20;

  /** Ciphertext bytes of a full segment: its plaintext plus the tag. */
  static final int SEALED_SEGMENT_BYTES = SEGMENT_BYTES + Envelope.TAG_BYTES;

  static final int PREFIX_BYTES = 7;

  /** As long as the key, as Tink chooses it. */
  static final int SALT_BYTES = 32;

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

  /** The header of a new (version {@value #VERSION}) stream. */
  static Header header(KeyId keyId, byte[] salt, byte[] prefix) {
    byte[] kid = keyId.toString().getBytes(StandardCharsets.UTF_8);
    if (kid.length > 255) {
      throw new IllegalArgumentException("key id longer than 255 bytes: " + keyId);
    }
    if (salt.length != SALT_BYTES || prefix.length != PREFIX_BYTES) {
      throw new IllegalArgumentException("a stream needs a 32-byte salt and a 7-byte nonce prefix");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(MAGIC);
    bytes.write(VERSION);
    bytes.write(kid.length);
    bytes.writeBytes(kid);
    bytes.writeBytes(salt);
    bytes.writeBytes(prefix);
    return new Header(VERSION, keyId, salt.clone(), prefix.clone(), bytes.toByteArray());
  }

  /**
   * Reads a header, of either version.
   *
   * @throws EnvelopeException {@code MALFORMED} (not a streaming envelope), {@code UNSUPPORTED}
   *     (another format version) or {@code TRUNCATED} (the input ends inside the header)
   */
  static Header readHeader(InputStream in) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] magic = exactly(in, MAGIC.length, "magic", read);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "not a streaming envelope");
    }
    int version = exactly(in, 1, "format version", read)[0] & 0xff;
    if (version != VERSION && version != FIRST_VERSION) {
      throw new EnvelopeException(
          EnvelopeException.Reason.UNSUPPORTED, "streaming envelope version " + version);
    }
    int kidLength = exactly(in, 1, "key id length", read)[0] & 0xff;
    KeyId keyId =
        KeyId.parse(new String(exactly(in, kidLength, "key id", read), StandardCharsets.UTF_8));
    byte[] salt = version == FIRST_VERSION ? null : exactly(in, SALT_BYTES, "salt", read);
    byte[] prefix = exactly(in, PREFIX_BYTES, "nonce prefix", read);
    return new Header(version, keyId, salt, prefix, read.toByteArray());
  }

  private static byte[] exactly(InputStream in, int n, String what, ByteArrayOutputStream read)
      throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new EnvelopeException(
          EnvelopeException.Reason.TRUNCATED, "the header ends inside its " + what);
    }
    read.writeBytes(bytes);
    return bytes;
  }

  /**
   * A stream's header.
   *
   * @param version {@value #VERSION} or {@value #FIRST_VERSION}
   * @param keyId the key its segments are encrypted under, or (version 2) derived from
   * @param salt the key derivation salt; null in version {@value #FIRST_VERSION}
   * @param prefix the nonce prefix
   * @param bytes the header as stored, every field above included
   */
  record Header(int version, KeyId keyId, byte[] salt, byte[] prefix, byte[] bytes) {}
}
