package io.breakglass.worker.sample;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a caller's bearer token as the backend does: an HS256 JWT (RFC 7519) signed with a
 * version of the signing secret that the service's keyring holds now (primary or decrypt-only), not
 * expired. The {@code kid} header, when present, names the version; without it every held version
 * is tried. Any other algorithm ({@code none} included) is refused. A refusal says why in a few
 * words, never with the token.
 */
final class SessionTokens {

  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private final String secret;

  /**
   * @param secret the signing secret whose versions sign sessions
   */
  SessionTokens(String secret) {
    this.secret = secret;
  }

  /**
   * @param subject the token's {@code sub} when it verified
   * @param keyId the version that verified it
   * @param refusal why it did not verify, or null when it did
   */
  record Verdict(String subject, KeyId keyId, String refusal) {

    static Verdict refused(String why) {
      return new Verdict(null, null, why);
    }
  }

  Verdict verify(String token, ServiceKeyring keyring, Instant now) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Verdict.refused("malformed");
    }
    JsonNode header;
    JsonNode claims;
    byte[] signature;
    try {
      header = HttpReplies.JSON.readTree(BASE64URL.decode(parts[0]));
      claims = HttpReplies.JSON.readTree(BASE64URL.decode(parts[1]));
      signature = BASE64URL.decode(parts[2]);
    } catch (IllegalArgumentException | IOException e) {
      return Verdict.refused("malformed");
    }
    if (header == null || claims == null || !"HS256".equals(header.path("alg").asText())) {
      return Verdict.refused("not HS256");
    }
    List<KeyId> candidates = candidates(header.path("kid"), keyring);
    byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    KeyId verified = null;
    for (KeyId candidate : candidates) {
      if (signs(candidate, keyring, signed, signature)) {
        verified = candidate;
        break;
      }
    }
    if (verified == null) {
      return Verdict.refused("no version in the keyring signed it");
    }
    if (!claims.path("exp").canConvertToLong()
        || claims.path("exp").asLong() <= now.getEpochSecond()) {
      return Verdict.refused("expired");
    }
    return new Verdict(claims.path("sub").asText(""), verified, null);
  }

  /** The version {@code kid} names, when it is one of the signing secret's; else every held one. */
  private List<KeyId> candidates(JsonNode kid, ServiceKeyring keyring) {
    if (kid.isTextual()) {
      String prefix = secret + ":";
      return kid.asText().startsWith(prefix)
          ? List.of(new KeyId(secret, kid.asText().substring(prefix.length())))
          : List.of();
    }
    return keyring.versions(secret);
  }

  private static boolean signs(
      KeyId version, ServiceKeyring keyring, byte[] signed, byte[] signature) {
    byte[] key;
    try {
      key = keyring.signingKey(version);
    } catch (EnvelopeException e) {
      return false; // not a version this service holds now
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return MessageDigest.isEqual(mac.doFinal(signed), signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no HmacSHA256", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }
}
