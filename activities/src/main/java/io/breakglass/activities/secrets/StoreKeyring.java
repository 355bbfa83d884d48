package io.breakglass.activities.secrets;

import io.breakglass.activities.crypto.AesKeys;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.workflows.RotationErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.SecretKey;

/**
 * A keyring that reads data keys from a {@link SecretStore}: key id {@code secret:versionId} is
 * that version's material as an AES-256 key. A revoked or missing version is an unknown key id.
 * Material never changes, so each key is read once and cached; a status change after that (a
 * revoke) is seen by the next keyring, so build one per activity execution, not one per worker.
 * Thread-safe.
 */
public final class StoreKeyring implements Keyring {

  private final SecretStore store;
  private final ConcurrentMap<KeyId, SecretKey> keys = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, List<KeyId>> trialOrders = new ConcurrentHashMap<>();

  public StoreKeyring(SecretStore store) {
    this.store = store;
  }

  /**
   * @throws EnvelopeException {@code UNKNOWN_KEY_ID} when the secret or version does not exist, the
   *     version is revoked, or its material is not 32 bytes
   * @throws SecretStoreException when the store cannot be read ({@code SECRET_STORE_UNAVAILABLE},
   *     ...)
   */
  @Override
  public SecretKey key(KeyId keyId) {
    return keys.computeIfAbsent(keyId, this::load);
  }

  /**
   * CURRENT, PENDING, PREVIOUS, then the other active versions newest first; read once per keyring,
   * like the keys.
   *
   * @throws EnvelopeException {@code UNKNOWN_KEY_ID} when the secret does not exist
   */
  @Override
  public List<KeyId> trialOrder(String secret) {
    return trialOrders.computeIfAbsent(secret, this::readTrialOrder);
  }

  private List<KeyId> readTrialOrder(String secret) {
    SecretState state;
    try {
      state = store.describe(secret);
    } catch (SecretStoreException e) {
      if (e.error() == RotationErrors.VERSION_NOT_FOUND) {
        throw new EnvelopeException(
            EnvelopeException.Reason.UNKNOWN_KEY_ID, secret + ": " + e.getMessage());
      }
      throw e;
    }
    List<SecretVersion> active =
        state.versions().stream().filter(v -> v.status() == VersionStatus.ACTIVE).toList();
    List<SecretVersion> ordered = new ArrayList<>();
    for (Label label : List.of(Label.CURRENT, Label.PENDING, Label.PREVIOUS)) {
      active.stream()
          .filter(v -> v.has(label) && !ordered.contains(v))
          .findFirst()
          .ifPresent(ordered::add);
    }
    // versions are listed oldest first: the rest go newest first
    for (int i = active.size() - 1; i >= 0; i--) {
      if (!ordered.contains(active.get(i))) {
        ordered.add(active.get(i));
      }
    }
    return ordered.stream().map(v -> new KeyId(secret, v.versionId())).toList();
  }

  private SecretKey load(KeyId keyId) {
    byte[] material;
    try {
      SecretVersion version =
          store
              .describe(keyId.secret())
              .version(keyId.versionId())
              .orElseThrow(() -> unknown(keyId, "no such version"));
      if (version.status() == VersionStatus.REVOKED) {
        throw unknown(keyId, "the version is revoked");
      }
      material = store.material(keyId.secret(), keyId.versionId());
    } catch (SecretStoreException e) {
      if (e.error() == RotationErrors.VERSION_NOT_FOUND) {
        throw unknown(keyId, e.getMessage());
      }
      throw e;
    }
    try {
      return AesKeys.aes256(material, keyId);
    } finally {
      Arrays.fill(material, (byte) 0); // the key spec holds its own copy
    }
  }

  private static EnvelopeException unknown(KeyId keyId, String why) {
    return new EnvelopeException(EnvelopeException.Reason.UNKNOWN_KEY_ID, keyId + ": " + why);
  }
}
