package io.breakglass.activities.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the HS256 JWT (RFC 7519) a smoke check sends as its bearer token. The token is a
 * credential: it is only ever put in a request header, never in a result, a log or an exception.
 */
final class Hs256Token {

  /** How long a smoke check's token is valid. */
  static final Duration LIFETIME = Duration.ofMinutes(5);

  static final String SUBJECT = "breakglass-smoke-check";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private Hs256Token() {}

  /**
   * @param key the signing secret's material (not kept)
   * @param keyId the version's key id, carried as {@code kid}
   * @param claims further claims, e.g. {@code iss}, {@code aud}
   */
  static String mint(byte[] key, String keyId, Map<String, String> claims, Instant now) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "HS256");
    header.put("typ", "JWT");
    header.put("kid", keyId);
    Map<String, Object> payload = new LinkedHashMap<>(claims);
    payload.put("sub", SUBJECT);
    payload.put("iat", now.getEpochSecond());
    payload.put("exp", now.plus(LIFETIME).getEpochSecond());
    payload.put("jti", UUID.randomUUID().toString());
    String signed = encode(header) + "." + encode(payload);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return signed
          + "."
          + BASE64URL.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no HmacSHA256", e);
    }
  }

  private static String encode(Map<String, Object> part) {
    try {
      return BASE64URL.encodeToString(JSON.writeValueAsBytes(part));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JWT part did not serialise", e);
    }
  }
}
