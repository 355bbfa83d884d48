package io.breakglass.worker.sample;

import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.deploy.KeyringFile;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretState;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * The keyring the service runs with between two reloads: per secret, the primary version (new
 * writes) and the decrypt-only versions, as the keyring file says. A secret the file has no entry
 * for yet runs as the store has it (CURRENT primary, PREVIOUS decrypt-only), exactly as {@code
 * DeploymentActivities.readKeyring} reports it. Key material comes from the secret store; a key id
 * whose version is not in this keyring is unknown, whatever the store holds. A signing secret's
 * versions verify tokens the same way: the primary and the decrypt-only ones, none other. Immutable
 * and thread-safe.
 */
final class ServiceKeyring implements Keyring {

  private final Map<String, KeyringEntry> entries;
  private final Keyring material;
  private final SecretStore store;

  private ServiceKeyring(Map<String, KeyringEntry> entries, Keyring material, SecretStore store) {
    this.entries = entries;
    this.material = material;
    this.store = store;
  }

  /**
   * Reads {@code file} now; {@code secrets} are the ones the service uses, {@code optional} ones it
   * uses when the store has them (a service without its signing secret refuses every token).
   */
  static ServiceKeyring load(
      Path file,
      String deployment,
      List<String> secrets,
      List<String> optional,
      SecretStore store) {
    KeyringSpec published = new KeyringFile(file).read(deployment);
    Map<String, KeyringEntry> entries = new LinkedHashMap<>();
    for (KeyringEntry entry : published.entries()) {
      entries.put(entry.secret(), entry);
    }
    for (String secret : secrets) {
      entries.computeIfAbsent(secret, s -> fromStore(s, store));
    }
    for (String secret : optional) {
      if (!entries.containsKey(secret) && inStore(secret, store)) {
        entries.put(secret, fromStore(secret, store));
      }
    }
    // A fresh store keyring per load: a version revoked since the last load is never used again.
    return new ServiceKeyring(Map.copyOf(entries), new StoreKeyring(store), store);
  }

  private static boolean inStore(String secret, SecretStore store) {
    try {
      return store.describe(secret).labelled(Label.CURRENT).isPresent();
    } catch (SecretStoreException e) {
      return false;
    }
  }

  private static KeyringEntry fromStore(String secret, SecretStore store) {
    SecretState state = store.describe(secret);
    String primary =
        state
            .labelled(Label.CURRENT)
            .map(SecretVersion::versionId)
            .orElseThrow(() -> new IllegalStateException(secret + " has no CURRENT version"));
    List<String> previous =
        state.labelled(Label.PREVIOUS).map(v -> List.of(v.versionId())).orElse(List.of());
    return new KeyringEntry(secret, primary, previous);
  }

  /** The key id new writes of {@code secret} use. */
  KeyId primary(String secret) {
    KeyringEntry entry = entries.get(secret);
    if (entry == null) {
      throw new IllegalStateException("the keyring has no entry for " + secret);
    }
    return new KeyId(secret, entry.primaryVersionId());
  }

  @Override
  public SecretKey key(KeyId keyId) {
    requireListed(keyId);
    return material.key(keyId);
  }

  /**
   * The versions of {@code secret} this keyring holds, primary first; none when it has no entry.
   */
  List<KeyId> versions(String secret) {
    KeyringEntry entry = entries.get(secret);
    if (entry == null) {
      return List.of();
    }
    List<KeyId> versions = new ArrayList<>();
    versions.add(new KeyId(secret, entry.primaryVersionId()));
    entry.decryptOnlyVersionIds().forEach(v -> versions.add(new KeyId(secret, v)));
    return versions;
  }

  /**
   * The material of a signing secret's version (a copy the caller clears).
   *
   * @throws EnvelopeException {@code UNKNOWN_KEY_ID} when this keyring does not hold the version,
   *     or the store has it revoked or not at all
   */
  byte[] signingKey(KeyId keyId) {
    requireListed(keyId);
    try {
      boolean usable =
          store
              .describe(keyId.secret())
              .version(keyId.versionId())
              .map(v -> v.status() != VersionStatus.REVOKED)
              .orElse(false);
      if (!usable) {
        throw new EnvelopeException(
            EnvelopeException.Reason.UNKNOWN_KEY_ID, keyId + " is revoked or missing");
      }
      return store.material(keyId.secret(), keyId.versionId());
    } catch (SecretStoreException e) {
      throw new EnvelopeException(
          EnvelopeException.Reason.UNKNOWN_KEY_ID, keyId + ": " + e.getMessage());
    }
  }

  private void requireListed(KeyId keyId) {
    KeyringEntry entry = entries.get(keyId.secret());
    boolean listed =
        entry != null
            && (entry.primaryVersionId().equals(keyId.versionId())
                || entry.decryptOnlyVersionIds().contains(keyId.versionId()));
    if (!listed) {
      throw new EnvelopeException(
          EnvelopeException.Reason.UNKNOWN_KEY_ID, keyId + " is not in the service's keyring");
    }
  }

  /** Per secret: primary and decrypt-only version ids (what {@code /admin/reload} answers). */
  Map<String, Map<String, Object>> describe() {
    Map<String, Map<String, Object>> view = new LinkedHashMap<>();
    entries.values().stream()
        .sorted((a, b) -> a.secret().compareTo(b.secret()))
        .forEach(
            e ->
                view.put(
                    e.secret(),
                    Map.of(
                        "primary",
                        e.primaryVersionId(),
                        "decryptOnly",
                        e.decryptOnlyVersionIds())));
    return view;
  }
}
