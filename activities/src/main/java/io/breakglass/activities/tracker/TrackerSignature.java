package io.breakglass.activities.tracker;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature over a tracker body: {@code sha256=} and the hex HMAC-SHA256 of the exact bytes
 * POSTed, under the shared signing secret, in the {@value #HEADER} header. A receiver recomputes it
 * over the raw body and compares in constant time.
 */
public final class TrackerSignature {

  /** The header that carries the signature. */
  public static final String HEADER = "X-Breakglass-Signature";

  private TrackerSignature() {}

  /** {@code sha256=<hex>} of {@code body} under {@code secret}. */
  public static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no HmacSHA256", e);
    }
  }

  /** Whether {@code header} is the signature of {@code body} under {@code secret}. */
  public static boolean verifies(String secret, byte[] body, String header) {
    return header != null
        && MessageDigest.isEqual(
            sign(secret, body).getBytes(StandardCharsets.US_ASCII),
            header.getBytes(StandardCharsets.US_ASCII));
  }
}
