package io.breakglass.activities.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * Decrypts a {@link StreamingEnvelope} of either format version, one segment at a time, with the
 * key its header names (version 2: the stream's own key, derived from it). Bytes are released only
 * from segments whose tag verified; damage of any kind (truncation, reordered, dropped, repeated or
 * altered segments, another key or associated data) is an {@link EnvelopeException} from {@code
 * read}, never a short read or end of stream. Not thread-safe.
 */
public final class DecryptingInputStream extends InputStream {

  private final PushbackInputStream in;
  private final KeyId keyId;
  private final SegmentCipher cipher;
  private final byte[] sealed = new byte[StreamingEnvelope.SEALED_SEGMENT_BYTES];
  private final byte[] plaintext = new byte[StreamingEnvelope.SEGMENT_BYTES];
  private int position;
  private int limit;
  private long segment;
  private boolean finished;
  private EnvelopeException failure;

  /**
   * Reads the header from {@code in} at once.
   *
   * @param keyring resolves the key id the header names
   * @param associatedData the bytes the stream was bound to when it was encrypted
   * @throws EnvelopeException for a bad header or {@code UNKNOWN_KEY_ID}
   */
  public DecryptingInputStream(InputStream in, Keyring keyring, byte[] associatedData)
      throws IOException {
    this.in = new PushbackInputStream(in, 1);
    StreamingEnvelope.Header header = StreamingEnvelope.readHeader(this.in);
    this.keyId = header.keyId();
    this.cipher = SegmentCipher.of(header, keyring.key(keyId), associatedData);
  }

  /** The key the stream is encrypted under, as its header names it. */
  public KeyId keyId() {
    return keyId;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (failure != null) {
      throw failure;
    }
    if (length == 0) {
      return 0;
    }
    while (position == limit) {
      if (finished) {
        return -1;
      }
      try {
        openSegment();
      } catch (EnvelopeException e) {
        // Damage is permanent: every later read reports it again instead of reading on.
        failure = e;
        throw e;
      }
    }
    int n = Math.min(length, limit - position);
    System.arraycopy(plaintext, position, bytes, offset, n);
    position += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void openSegment() throws IOException {
    if (segment >= StreamingEnvelope.MAX_SEGMENTS) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "more than 2^32 segments");
    }
    int n = in.readNBytes(sealed, 0, sealed.length);
    boolean last = n < sealed.length || atEnd();
    if (n < Envelope.TAG_BYTES) {
      throw new EnvelopeException(
          EnvelopeException.Reason.TRUNCATED,
          segment == 0
              ? "no segment after the header"
              : "segment " + segment + " ends before its tag");
    }
    try {
      limit = open(n, last);
    } catch (AEADBadTagException e) {
      throw last && n == sealed.length && opensAsNonFinal(n)
          ? new EnvelopeException(
              EnvelopeException.Reason.TRUNCATED,
              "the stream ends after segment " + segment + " without its final segment")
          : new EnvelopeException(
              EnvelopeException.Reason.AUTHENTICATION_FAILED,
              "segment " + segment + " does not verify under " + keyId);
    }
    position = 0;
    finished = last;
    segment++;
  }

  /** Peeks one byte: a full segment is the final one only when nothing follows it. */
  private boolean atEnd() throws IOException {
    int next = in.read();
    if (next == -1) {
      return true;
    }
    in.unread(next);
    return false;
  }

  private int open(int n, boolean last) throws AEADBadTagException {
    return cipher.open(sealed, n, plaintext, segment, last);
  }

  /** Whether the last segment read is an intact non-final one: the final one was cut off. */
  private boolean opensAsNonFinal(int n) {
    try {
      open(n, false);
      return true;
    } catch (AEADBadTagException e) {
      return false;
    }
  }
}
