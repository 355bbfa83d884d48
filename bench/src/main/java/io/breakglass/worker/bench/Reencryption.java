package io.breakglass.worker.bench;

import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeCipher;
import io.breakglass.activities.crypto.EnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;

/**
 * The per-item work every hand-written loop shares with the engine: decode the stored envelope,
 * decrypt it with the key it names, encrypt under the target bound to the same place, encode. One
 * reusable cipher, so one instance per thread.
 */
final class Reencryption {

  private final EnvelopeCodec codec;
  private final Keyring keyring;
  private final KeyId target;
  private final SecretKey targetKey;
  private final EnvelopeCipher cipher = new EnvelopeCipher();

  Reencryption(EnvelopeCodec codec, Keyring keyring, KeyId target) {
    this.codec = codec;
    this.keyring = keyring;
    this.target = target;
    this.targetKey = keyring.key(target);
  }

  /**
   * The stored value re-encrypted under the target, or null when it is under the target already.
   */
  byte[] reencrypt(byte[] stored, String boundTo) {
    Envelope envelope = codec.decode(stored);
    if (envelope.keyId().equals(target)) {
      return null;
    }
    byte[] associatedData = boundTo.getBytes(StandardCharsets.UTF_8);
    byte[] plaintext = cipher.decrypt(envelope, keyring, associatedData);
    return codec.encode(cipher.encrypt(target, targetKey, plaintext, associatedData));
  }
}
