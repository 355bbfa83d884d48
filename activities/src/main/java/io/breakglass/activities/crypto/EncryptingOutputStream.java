package io.breakglass.activities.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Encrypts a stream into the {@link StreamingEnvelope} format (always its current version, under a
 * key derived for this stream alone), one segment at a time, so memory stays at two segment buffers
 * whatever the size. {@link #close()} writes the final segment: a stream that is never closed lacks
 * it and does not decrypt. Not thread-safe.
 */
public final class EncryptingOutputStream extends OutputStream {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final OutputStream out;
  private final SegmentCipher cipher;
  private final byte[] plaintext = new byte[StreamingEnvelope.SEGMENT_BYTES];
  private final byte[] sealed = new byte[StreamingEnvelope.SEALED_SEGMENT_BYTES];
  private int buffered;
  private long segment;
  private boolean closed;

  /**
   * Writes the header to {@code out} at once.
   *
   * @param keyId the key to encrypt under, resolved through {@code keyring}
   * @param associatedData bound to every segment; the same bytes must be given to decrypt
   * @throws EnvelopeException {@code UNKNOWN_KEY_ID} when the keyring has no such key
   */
  public EncryptingOutputStream(
      OutputStream out, KeyId keyId, Keyring keyring, byte[] associatedData) throws IOException {
    this(
        out,
        keyId,
        keyring,
        associatedData,
        random(StreamingEnvelope.SALT_BYTES),
        random(StreamingEnvelope.PREFIX_BYTES));
  }

  /** With the salt and nonce prefix given rather than drawn: for tests that force a collision. */
  EncryptingOutputStream(
      OutputStream out,
      KeyId keyId,
      Keyring keyring,
      byte[] associatedData,
      byte[] salt,
      byte[] prefix)
      throws IOException {
    this.out = out;
    StreamingEnvelope.Header header = StreamingEnvelope.header(keyId, salt, prefix);
    this.cipher = SegmentCipher.of(header, keyring.key(keyId), associatedData);
    out.write(header.bytes());
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (closed) {
      throw new IOException("the encrypting stream is closed");
    }
    while (length > 0) {
      // A full segment is sealed as non-final only once more bytes arrive: the final one may be
      // full.
      if (buffered == plaintext.length) {
        seal(false);
      }
      int n = Math.min(length, plaintext.length - buffered);
      System.arraycopy(bytes, offset, plaintext, buffered, n);
      buffered += n;
      offset += n;
      length -= n;
    }
  }

  /** Flushes sealed segments; bytes of the segment being filled stay buffered until it is full. */
  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Seals the final segment and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      seal(true);
      out.flush();
    }
  }

  private void seal(boolean last) throws IOException {
    if (segment >= StreamingEnvelope.MAX_SEGMENTS) {
      throw new IOException("a streaming envelope holds at most 2^32 segments");
    }
    int n = cipher.seal(plaintext, buffered, sealed, segment, last);
    out.write(sealed, 0, n);
    segment++;
    buffered = 0;
  }
}
