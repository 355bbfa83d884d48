package io.breakglass.activities.testing;

import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** A keyring of random AES-256 keys made on demand by tests. */
public final class MapKeyring implements Keyring {

  private static final SecureRandom RANDOM = new SecureRandom();
  private final Map<KeyId, SecretKey> keys = new ConcurrentHashMap<>();

  /** Adds a fresh random key for {@code secret:version} and returns its id. */
  public KeyId add(String secret, String version) {
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    KeyId id = new KeyId(secret, version);
    keys.put(id, new SecretKeySpec(material, "AES"));
    return id;
  }

  /** Forgets a key, as a revoked version would be. */
  public void remove(KeyId id) {
    keys.remove(id);
  }

  @Override
  public SecretKey key(KeyId keyId) {
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new EnvelopeException(EnvelopeException.Reason.UNKNOWN_KEY_ID, "no key " + keyId);
    }
    return key;
  }
}
