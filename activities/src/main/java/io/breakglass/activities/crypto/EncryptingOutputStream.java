package io.breakglass.activities.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts a stream into the {@link StreamingEnvelope} format, one segment at a time, so memory
 * stays at two segment buffers whatever the size. {@link #close()} writes the final segment: a
 * stream that is never closed lacks it and does not decrypt. Not thread-safe.
 */
public final class EncryptingOutputStream extends OutputStream {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final OutputStream out;
  private final KeyId keyId;
  private final SecretKey key;
  private final byte[] associatedData;
  private final byte[] prefix = new byte[StreamingEnvelope.PREFIX_BYTES];
  private final byte[] plaintext = new byte[StreamingEnvelope.SEGMENT_BYTES];
  private final byte[] sealed = new byte[StreamingEnvelope.SEALED_SEGMENT_BYTES];
  private final Cipher cipher;
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
    this.out = out;
    this.keyId = keyId;
    this.key = keyring.key(keyId);
    this.associatedData = associatedData.clone();
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no AES/GCM", e);
    }
    RANDOM.nextBytes(prefix);
    StreamingEnvelope.writeHeader(out, keyId, prefix);
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
      // A full segment is sealed as non-final only once more bytes arrive: the final one may be full.
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
    int n;
    try {
      cipher.init(
          Cipher.ENCRYPT_MODE,
          key,
          new GCMParameterSpec(Envelope.TAG_BYTES * 8, StreamingEnvelope.nonce(prefix, segment, last)));
      cipher.updateAAD(associatedData);
      n = cipher.doFinal(plaintext, 0, buffered, sealed, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed under " + keyId, e);
    }
    out.write(sealed, 0, n);
    segment++;
    buffered = 0;
  }
}
