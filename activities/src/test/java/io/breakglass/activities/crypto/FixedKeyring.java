package io.breakglass.activities.crypto;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * A keyring over fixed key material. As the {@link Keyring} contract says, an id it does not know
 * is an {@link EnvelopeException} with reason {@code UNKNOWN_KEY_ID}. Envelopes that name no key
 * try a secret's keys in the order they were added.
 */
final class FixedKeyring implements Keyring {

  private final Map<KeyId, byte[]> material = new LinkedHashMap<>();

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

  @Override
  public List<KeyId> trialOrder(String secret) {
    return material.keySet().stream().filter(k -> k.secret().equals(secret)).toList();
  }
}
