package io.breakglass.api.cli;

import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * A keyring that knows one key, the version being adopted: the scan then shows which items decrypt
 * with that version, and an item under any other key id is listed as not decrypting.
 */
final class AdoptedVersionKeyring implements Keyring {

  private final KeyId adopted;
  private final Keyring keyring;

  AdoptedVersionKeyring(KeyId adopted, Keyring keyring) {
    this.adopted = adopted;
    this.keyring = keyring;
  }

  @Override
  public SecretKey key(KeyId keyId) {
    if (!adopted.equals(keyId)) {
      throw new EnvelopeException(
          EnvelopeException.Reason.UNKNOWN_KEY_ID,
          keyId + " is not the adopted version " + adopted);
    }
    return keyring.key(keyId);
  }

  /**
   * Only the adopted version is tried, so a format that names no key is scanned against it alone.
   */
  @Override
  public List<KeyId> trialOrder(String secret) {
    if (!adopted.secret().equals(secret)) {
      throw new EnvelopeException(
          EnvelopeException.Reason.UNKNOWN_KEY_ID,
          "only the adopted version " + adopted + " is tried");
    }
    return List.of(adopted);
  }
}
