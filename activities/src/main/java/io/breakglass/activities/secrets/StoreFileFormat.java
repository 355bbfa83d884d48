package io.breakglass.activities.secrets;

import io.breakglass.workflows.RotationErrors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The bytes of the store file: magic {@code BGLS}, format version {@code 0x01}, a 12-byte random
 * nonce, then the {@link StoreContents} JSON encrypted with AES-256-GCM under the master key
 * (ciphertext followed by the 16-byte tag). The associated data is {@value #FORMAT}, so the
 * ciphertext cannot be passed off as any other kind of data sealed under the same key.
 */
final class StoreFileFormat {

  static final String FORMAT = "breakglass-local-secret-store/v1";
  private static final byte[] MAGIC = {'B', 'G', 'L', 'S'};
  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BYTES = 16;
  private static final int HEADER_BYTES = MAGIC.length + 1;
  private static final byte[] ASSOCIATED_DATA = FORMAT.getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey masterKey;
  private final Path path;

  /**
   * @param path the store file, named in errors
   */
  StoreFileFormat(MasterKey masterKey, Path path) {
    this.masterKey = masterKey.key();
    this.path = path;
  }

  /** The bytes of a store file holding {@code json} (a {@link StoreContents#toJson()}). */
  byte[] seal(byte[] json) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] ciphertext;
    try {
      ciphertext = cipher(Cipher.ENCRYPT_MODE, nonce).doFinal(json);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption of " + path + " failed", e);
    }
    return ByteBuffer.allocate(HEADER_BYTES + NONCE_BYTES + ciphertext.length)
        .put(MAGIC)
        .put(VERSION)
        .put(nonce)
        .put(ciphertext)
        .array();
  }

  /**
   * The contents of a store file.
   *
   * @throws SecretStoreException {@code INVALID_CONFIGURATION} when it is not a store file, has
   *     another format version, the master key does not open it, or it holds no store document
   */
  StoreContents open(byte[] file) {
    if (file.length < HEADER_BYTES
        || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw invalid(path + " is not a breakglass local secret store");
    }
    if (file[MAGIC.length] != VERSION) {
      throw invalid(
          path
              + " has store format version "
              + file[MAGIC.length]
              + "; this build reads version "
              + VERSION);
    }
    if (file.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES) {
      throw invalid(path + " is truncated");
    }
    byte[] nonce = Arrays.copyOfRange(file, HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
    int offset = HEADER_BYTES + NONCE_BYTES;
    byte[] json;
    try {
      json = cipher(Cipher.DECRYPT_MODE, nonce).doFinal(file, offset, file.length - offset);
    } catch (AEADBadTagException e) {
      throw invalid("master key does not open " + path + " (another key, or the file was altered)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption of " + path + " failed", e);
    }
    try {
      return StoreContents.fromJson(json);
    } catch (RuntimeException e) {
      // Not chained: a parse error can quote the document, which holds material.
      throw invalid(path + " opens but does not hold a store document");
    } finally {
      Arrays.fill(json, (byte) 0);
    }
  }

  private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, masterKey, new GCMParameterSpec(TAG_BYTES * 8, nonce));
    cipher.updateAAD(ASSOCIATED_DATA);
    return cipher;
  }

  private static SecretStoreException invalid(String message) {
    return new SecretStoreException(RotationErrors.INVALID_CONFIGURATION, message);
  }
}
