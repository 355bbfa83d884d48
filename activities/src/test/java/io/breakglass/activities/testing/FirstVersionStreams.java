package io.breakglass.activities.testing;

import io.breakglass.activities.crypto.KeyId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The writer of the first streaming envelope version, kept in tests only, exactly as the code
 * before version 2 wrote it: the data key itself for every segment, a 7-byte nonce prefix, the
 * associated data as each segment's GCM associated data. Production code reads this version and
 * never writes it; this writer makes first-version streams of any size and with a chosen prefix.
 */
public final class FirstVersionStreams {

  private static final int SEGMENT = 1 << 20;

  private FirstVersionStreams() {}

  /** {@code plaintext} sealed as a first-version stream with nonce prefix {@code prefix}. */
  public static byte[] seal(
      KeyId keyId, SecretKey key, byte[] prefix, byte[] associatedData, byte[] plaintext) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] kid = keyId.toString().getBytes(StandardCharsets.UTF_8);
    out.writeBytes(new byte[] {'B', 'G', 'S', 'E', 1, (byte) kid.length});
    out.writeBytes(kid);
    out.writeBytes(prefix);
    int at = 0;
    long index = 0;
    do {
      int n = Math.min(SEGMENT, plaintext.length - at);
      boolean last = at + n == plaintext.length;
      byte[] nonce =
          ByteBuffer.allocate(12)
              .put(prefix)
              .putInt((int) index)
              .put((byte) (last ? 1 : 0))
              .array();
      try {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associatedData);
        out.writeBytes(cipher.doFinal(Arrays.copyOfRange(plaintext, at, at + n)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      at += n;
      index++;
    } while (at < plaintext.length);
    return out.toByteArray();
  }
}
