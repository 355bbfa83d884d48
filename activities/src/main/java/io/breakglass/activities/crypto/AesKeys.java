package io.breakglass.activities.crypto;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Turns stored key material into AES-256 keys. */
public final class AesKeys {

  private AesKeys() {}

  /** An AES-256 key from 32 bytes of material. */
  public static SecretKey aes256(byte[] material, KeyId keyId) {
    if (material.length != 32) {
      throw new EnvelopeException(
          EnvelopeException.Reason.UNKNOWN_KEY_ID,
          keyId
              + " is not a 32-byte data key (it is "
              + material.length
              + " bytes"
              + (material.length == 44
                  ? ", the length of a 32-byte key as base64 text: see the secret's encoding)"
                  : ")"));
    }
    return new SecretKeySpec(material, "AES");
  }
}
