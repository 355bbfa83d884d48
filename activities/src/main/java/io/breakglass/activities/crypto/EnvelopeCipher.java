package io.breakglass.activities.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for envelope v1, with a 12-byte random nonce and associated data that binds a
 * ciphertext to where it lives. Holds two reusable {@link Cipher}s, one to encrypt and one to
 * decrypt: a cipher keeps the key schedule of the last key it was given, and re-encryption
 * decrypts under one key and encrypts under another, item after item. Not thread-safe: give each
 * thread (each shard) its own.
 */
public final class EnvelopeCipher {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] NO_ASSOCIATED_DATA = new byte[0];

  private final Cipher encryptor = newCipher();
  private final Cipher decryptor = newCipher();

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no AES/GCM", e);
    }
  }

  /** Encrypts {@code plaintext} under {@code key}, bound to {@code associatedData} (may be null). */
  public Envelope encrypt(KeyId keyId, SecretKey key, byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[Envelope.NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      encryptor.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(Envelope.TAG_BYTES * 8, nonce));
      encryptor.updateAAD(associatedData == null ? NO_ASSOCIATED_DATA : associatedData);
      return new Envelope(keyId, nonce, encryptor.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed under " + keyId, e);
    }
  }

  /**
   * Decrypts {@code envelope} with the key its id names in {@code keyring}.
   *
   * @throws EnvelopeException {@code UNKNOWN_KEY_ID} or {@code AUTHENTICATION_FAILED}
   */
  public byte[] decrypt(Envelope envelope, Keyring keyring, byte[] associatedData) {
    SecretKey key = keyring.key(envelope.keyId());
    try {
      decryptor.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(Envelope.TAG_BYTES * 8, envelope.nonce()));
      decryptor.updateAAD(associatedData == null ? NO_ASSOCIATED_DATA : associatedData);
      return decryptor.doFinal(envelope.ciphertext());
    } catch (AEADBadTagException e) {
      throw new EnvelopeException(
          EnvelopeException.Reason.AUTHENTICATION_FAILED,
          "tag does not verify under " + envelope.keyId());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed under " + envelope.keyId(), e);
    }
  }
}
