package io.breakglass.worker.dev;

import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.secrets.FirstVersion;
import io.breakglass.activities.secrets.SecretStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Gives every configured secret a first version on the first {@code dev} run. Values are random;
 * the API key is a synthetic placeholder that no provider accepts.
 */
final class DevSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private DevSecrets() {}

  static void ensure(RotationSettings settings, SecretStore store) {
    for (SecretConfig secret : settings.secrets()) {
      FirstVersion.ensure(store, secret.name(), () -> firstValue(secret));
    }
  }

  private static byte[] firstValue(SecretConfig secret) {
    return switch (secret.kind()) {
      case DATA_KEY -> random(32);
      case SIGNING_SECRET -> random(64);
      case API_KEY ->
          ("sk-demo-not-a-real-key-" + HexFormat.of().formatHex(random(8)))
              .getBytes(StandardCharsets.US_ASCII);
    };
  }

  private static byte[] random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return value;
  }
}
