package io.breakglass.activities.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869): extract a pseudorandom key from the salt, then expand it. */
final class Hkdf {

  private static final String HMAC = "HmacSHA256";
  private static final int HASH_BYTES = 32;

  private Hkdf() {}

  /**
   * {@code length} bytes derived from {@code inputKey}, {@code salt} and {@code info}.
   *
   * @param salt may be empty (then {@value #HASH_BYTES} zero bytes, as the RFC says)
   * @param length at most 255 hash lengths
   */
  static byte[] sha256(byte[] inputKey, byte[] salt, byte[] info, int length) {
    if (length < 0 || length > 255 * HASH_BYTES) {
      throw new IllegalArgumentException("HKDF-SHA256 derives 0 to 8160 bytes, not " + length);
    }
    byte[] pseudorandomKey = null;
    byte[] block = new byte[0];
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_BYTES] : salt, HMAC));
      pseudorandomKey = mac.doFinal(inputKey);
      mac.init(new SecretKeySpec(pseudorandomKey, HMAC));
      byte[] out = new byte[length];
      for (int at = 0, counter = 1; at < length; at += HASH_BYTES, counter++) {
        mac.update(block);
        mac.update(info);
        mac.update((byte) counter);
        Arrays.fill(block, (byte) 0);
        block = mac.doFinal();
        System.arraycopy(block, 0, out, at, Math.min(HASH_BYTES, length - at));
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no " + HMAC, e);
    } finally {
      if (pseudorandomKey != null) {
        Arrays.fill(pseudorandomKey, (byte) 0);
      }
      Arrays.fill(block, (byte) 0);
    }
  }
}
