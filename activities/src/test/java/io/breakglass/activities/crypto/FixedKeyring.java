package io.breakglass.activities.crypto;

import java.util.HashMap;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * A keyring over fixed key material. As the {@link Keyring} contract says, an id it does not know
 * is an {@link EnvelopeException} with reason {@code UNKNOWN_KEY_ID}.
 */
final class FixedKeyring implements Keyring {

  private final Map<KeyId, byte[]> material = new HashMap<>();

  FixedKeyring with(KeyId keyId, byte[] keyMaterial) {
    material.put(keyId, keyMaterial.clone());
    return this;
  }

  @Override
  public SecretKey key(KeyId keyId) {
    byte[] keyMaterial = material.get(keyId);
    if (keyMaterial == null) {
      throw new EnvelopeException(EnvelopeException.Reason.UNKNOWN_KEY_ID, "no key " + keyId);
    }
    return AesKeys.aes256(keyMaterial, keyId);
  }
}
