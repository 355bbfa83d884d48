package io.breakglass.worker.sample;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash that stands for a patient in logs and paths: HMAC-SHA256 of the patient id under
 * the service's hash key, in hex. Without the key the hash cannot be matched to an id by trying
 * candidate ids. Thread-safe.
 */
final class PatientHash {

  private final SecretKeySpec key;

  PatientHash(String hashKey) {
    key = new SecretKeySpec(hashKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  String of(String patientId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(patientId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "PatientHash[HMAC-SHA256]";
  }
}
