package io.breakglass.activities.secrets;

import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretEncoding;
import io.breakglass.workflows.RotationErrors;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * One secret's store seen through its {@link SecretEncoding}: {@link #material} returns the key's
 * bytes however the value is kept, and {@link #createPending} writes the new version in the same
 * form (a JSON_FIELD value keeps the other fields of the CURRENT version). Everything else, labels,
 * metadata and staged operator values, passes through unchanged: a staged value is the plain value
 * the operator supplied. {@link RoutedSecretStore} puts one in front of each secret that is not
 * kept RAW.
 */
final class EncodedSecretStore implements SecretStore {

  private final SecretStore store;
  private final SecretValueForm form;

  private EncodedSecretStore(SecretStore store, SecretConfig secret) {
    this.store = store;
    this.form = new SecretValueForm(secret);
  }

  /** {@code store} as {@code secret} is kept in it: itself for RAW. */
  static SecretStore of(SecretStore store, SecretConfig secret) {
    return secret.encoding() == SecretEncoding.RAW ? store : new EncodedSecretStore(store, secret);
  }

  @Override
  public SecretState describe(String secret) {
    return store.describe(secret);
  }

  /**
   * @throws SecretStoreException {@code INVALID_CONFIGURATION} naming the secret, version and
   *     encoding when the stored value does not read in that form (or a data key's is not 32 bytes)
   */
  @Override
  public byte[] material(String secret, String versionId) {
    byte[] stored = store.material(secret, versionId);
    try {
      return form.read(versionId, stored);
    } finally {
      Arrays.fill(stored, (byte) 0);
    }
  }

  @Override
  public SecretVersion createPending(
      String secret, String versionId, byte[] value, Map<String, String> metadata) {
    Optional<SecretVersion> current = currentOf(secret);
    byte[] template = current.map(v -> store.material(secret, v.versionId())).orElse(null);
    byte[] stored = form.write(value, current.map(SecretVersion::versionId).orElse(null), template);
    try {
      return store.createPending(secret, versionId, stored, metadata);
    } finally {
      Arrays.fill(stored, (byte) 0);
      if (template != null) {
        Arrays.fill(template, (byte) 0);
      }
    }
  }

  @Override
  public void annotate(String secret, String versionId, Map<String, String> metadata) {
    store.annotate(secret, versionId, metadata);
  }

  @Override
  public void moveCurrent(String secret, String versionId) {
    store.moveCurrent(secret, versionId);
  }

  @Override
  public void restoreLabels(String secret, String currentVersionId, String previousVersionId) {
    store.restoreLabels(secret, currentVersionId, previousVersionId);
  }

  @Override
  public void discard(String secret, String versionId) {
    store.discard(secret, versionId);
  }

  @Override
  public void revoke(String secret, String versionId, String rotationId) {
    store.revoke(secret, versionId, rotationId);
  }

  @Override
  public void unrevoke(String secret, String versionId, String rotationId) {
    store.unrevoke(secret, versionId, rotationId);
  }

  @Override
  public void stage(String secret, byte[] value) {
    store.stage(secret, value);
  }

  @Override
  public byte[] staged(String secret) {
    return store.staged(secret);
  }

  @Override
  public void clearStaged(String secret) {
    store.clearStaged(secret);
  }

  @Override
  public String toString() {
    return store.toString();
  }

  // Only a JSON field needs the version it replaces; other forms do not read the store first.
  private Optional<SecretVersion> currentOf(String secret) {
    if (!form.keepsOtherFields()) {
      return Optional.empty();
    }
    try {
      return store.describe(secret).labelled(Label.CURRENT);
    } catch (SecretStoreException e) {
      if (e.error() == RotationErrors.VERSION_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
