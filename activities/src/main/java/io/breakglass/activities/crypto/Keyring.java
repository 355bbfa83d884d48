package io.breakglass.activities.crypto;

import javax.crypto.SecretKey;

/** Resolves a key id to the key that can decrypt under it. Lives inside activities only. */
public interface Keyring {

  /**
   * The AES-256 key of {@code keyId}.
   *
   * @throws EnvelopeException {@code UNKNOWN_KEY_ID} when no usable version has that id
   */
  SecretKey key(KeyId keyId);
}
