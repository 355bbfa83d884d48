package io.breakglass.activities.crypto;

import java.util.List;
import javax.crypto.SecretKey;

/** Resolves a key id to the key that can decrypt under it. Lives inside activities only. */
public interface Keyring {

  /**
   * The AES-256 key of {@code keyId}.
   *
   * @throws EnvelopeException {@code UNKNOWN_KEY_ID} when no usable version has that id
   */
  SecretKey key(KeyId keyId);

  /**
   * The usable versions of {@code secret} in the order an envelope that names no key tries them:
   * CURRENT, then PENDING, then PREVIOUS, then any other active version, newest first. Revoked and
   * discarded versions are not tried. Trying is safe: AES-GCM under a wrong key fails
   * authentication, it never yields wrong plaintext.
   *
   * @throws EnvelopeException {@code UNKNOWN_KEY_ID} when this keyring cannot list the secret's
   *     keys
   */
  default List<KeyId> trialOrder(String secret) {
    throw new EnvelopeException(
        EnvelopeException.Reason.UNKNOWN_KEY_ID, "this keyring cannot list the keys of " + secret);
  }
}
