package io.breakglass.activities.crypto;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over the segments of one {@link StreamingEnvelope}, with the key, nonces and GCM
 * associated data its header's format version prescribes. Not thread-safe.
 */
final class SegmentCipher {

  private static final byte[] NONE = new byte[0];
  private static final int KEY_BYTES = 32;

  private final Cipher cipher;
  private final KeyId keyId;
  private final SecretKey key;
  private final byte[] prefix;
  private final byte[] segmentAssociatedData;

  private SegmentCipher(KeyId keyId, SecretKey key, byte[] prefix, byte[] segmentAssociatedData) {
    this.keyId = keyId;
    this.key = key;
    this.prefix = prefix.clone();
    this.segmentAssociatedData = segmentAssociatedData;
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no AES/GCM", e);
    }
  }

  /**
   * The cipher of the stream {@code header} starts.
   *
   * @param dataKey the key the header's key id names
   * @param associatedData the caller's associated data
   */
  static SegmentCipher of(
      StreamingEnvelope.Header header, SecretKey dataKey, byte[] associatedData) {
    if (header.version() == StreamingEnvelope.FIRST_VERSION) {
      return new SegmentCipher(header.keyId(), dataKey, header.prefix(), associatedData.clone());
    }
    return new SegmentCipher(
        header.keyId(), streamKey(header, dataKey, associatedData), header.prefix(), NONE);
  }

  /**
   * The key of a version 2 stream: HKDF-SHA256 of the data key, with the header's salt, over the
   * header's bytes followed by the associated data. The header is self-delimiting (its one variable
   * field carries its length), so no two (header, associated data) pairs give one input.
   */
  static SecretKey streamKey(
      StreamingEnvelope.Header header, SecretKey dataKey, byte[] associatedData) {
    byte[] material = dataKey.getEncoded();
    if (material == null) {
      throw new IllegalStateException(
          header.keyId() + " does not expose its material for key derivation");
    }
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.writeBytes(header.bytes());
    info.writeBytes(associatedData);
    byte[] derived = Hkdf.sha256(material, header.salt(), info.toByteArray(), KEY_BYTES);
    try {
      return new SecretKeySpec(derived, "AES");
    } finally {
      Arrays.fill(material, (byte) 0);
      Arrays.fill(derived, (byte) 0); // the key spec holds its own copy
    }
  }

  /** Seals {@code length} bytes of {@code plaintext} as segment {@code index} into {@code out}. */
  int seal(byte[] plaintext, int length, byte[] out, long index, boolean last) {
    try {
      init(Cipher.ENCRYPT_MODE, index, last);
      return cipher.doFinal(plaintext, 0, length, out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed under " + keyId, e);
    }
  }

  /**
   * Opens {@code length} bytes of {@code sealed} as segment {@code index} into {@code out}.
   *
   * @throws AEADBadTagException when the segment does not verify as that segment
   */
  int open(byte[] sealed, int length, byte[] out, long index, boolean last)
      throws AEADBadTagException {
    try {
      init(Cipher.DECRYPT_MODE, index, last);
      return cipher.doFinal(sealed, 0, length, out, 0);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed under " + keyId, e);
    }
  }

  private void init(int mode, long index, boolean last) throws GeneralSecurityException {
    cipher.init(
        mode,
        key,
        new GCMParameterSpec(Envelope.TAG_BYTES * 8, StreamingEnvelope.nonce(prefix, index, last)));
    cipher.updateAAD(segmentAssociatedData);
  }
}
