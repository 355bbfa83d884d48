package io.breakglass.activities.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for envelope v1, with a 12-byte random nonce and associated data that binds a
 * ciphertext to where it lives. Holds two reusable {@link Cipher}s, one to encrypt and one to
 * decrypt: a cipher keeps the key schedule of the last key it was given, and re-encryption decrypts
 * under one key and encrypts under another, item after item. Not thread-safe: give each thread
 * (each shard) its own.
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

  /**
   * Encrypts {@code plaintext} under {@code key}, bound to {@code associatedData} (may be null).
   */
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
   * Decrypts {@code envelope} with the key its id names in {@code keyring}, or, when it names none,
   * with the first of its secret's keys that authenticates it (see {@link #open}).
   *
   * @throws EnvelopeException {@code UNKNOWN_KEY_ID} or {@code AUTHENTICATION_FAILED}
   */
  public byte[] decrypt(Envelope envelope, Keyring keyring, byte[] associatedData) {
    return open(envelope, keyring, associatedData).plaintext();
  }

  /**
   * Decrypts {@code envelope} and says which key did. An envelope that names its key is decrypted
   * with that key only. One that names none is tried with its secret's keys in {@link
   * Keyring#trialOrder} order, and the first whose tag verifies wins: a wrong key fails GCM's
   * authentication (a forgery chance of 2^-128 per try), so trying never yields wrong plaintext.
   *
   * @throws EnvelopeException {@code UNKNOWN_KEY_ID}, or {@code AUTHENTICATION_FAILED} when no key
   *     (of those tried) authenticates it
   */
  public Opened open(Envelope envelope, Keyring keyring, byte[] associatedData) {
    if (envelope.keyId() != null) {
      return new Opened(
          envelope.keyId(),
          decrypt(envelope, envelope.keyId(), keyring.key(envelope.keyId()), associatedData));
    }
    List<KeyId> candidates = keyring.trialOrder(envelope.secret());
    for (KeyId candidate : candidates) {
      SecretKey key;
      try {
        key = keyring.key(candidate);
      } catch (EnvelopeException unusable) {
        continue; // revoked since the order was read: not a key to try
      }
      try {
        return new Opened(candidate, decrypt(envelope, candidate, key, associatedData));
      } catch (EnvelopeException wrongKey) {
        // the next key may be the one
      }
    }
    throw new EnvelopeException(
        EnvelopeException.Reason.AUTHENTICATION_FAILED,
        "the envelope names no key and none of the "
            + candidates.size()
            + " usable key(s) of "
            + envelope.secret()
            + " authenticates it");
  }

  /**
   * A decrypted envelope.
   *
   * @param keyId the key that decrypted it: the one it names, or the one found by trial
   * @param plaintext what it held
   */
  public record Opened(KeyId keyId, byte[] plaintext) {
    @Override
    public String toString() {
      return "Opened[" + keyId + "]";
    }
  }

  private byte[] decrypt(Envelope envelope, KeyId keyId, SecretKey key, byte[] associatedData) {
    try {
      decryptor.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(Envelope.TAG_BYTES * 8, envelope.nonce()));
      decryptor.updateAAD(associatedData == null ? NO_ASSOCIATED_DATA : associatedData);
      return decryptor.doFinal(envelope.ciphertext());
    } catch (AEADBadTagException e) {
      throw new EnvelopeException(
          EnvelopeException.Reason.AUTHENTICATION_FAILED, "tag does not verify under " + keyId);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed under " + keyId, e);
    }
  }
}
