package io.breakglass.activities.secrets;

import io.breakglass.workflows.RotationErrors;
import java.util.Map;

/**
 * Versions of secrets with staging labels (CURRENT, PENDING, PREVIOUS) and lifecycle markers.
 * Implementations: the local encrypted file store, AWS Secrets Manager, Vault KV v2. Every
 * operation is idempotent so activity retries are harmless, and every failure is a {@link
 * SecretStoreException} that names the rule, never the material.
 */
public interface SecretStore {

  /**
   * The secret and its versions, without material.
   *
   * @throws SecretStoreException {@code VERSION_NOT_FOUND} when the secret does not exist
   */
  SecretState describe(String secret);

  /**
   * The material of a version. Only activities call this, and it never leaves them.
   *
   * @throws SecretStoreException {@code VERSION_NOT_FOUND}
   */
  byte[] material(String secret, String versionId);

  /**
   * Creates version {@code versionId} with {@code value} and the PENDING label; creates the secret
   * when it does not exist yet. The version id is the idempotency token: the same id with the same
   * value is a no-op that returns the existing version; with another value it is refused.
   *
   * @throws SecretStoreException {@code IDEMPOTENCY_CONFLICT}, or {@code STALE_PENDING} when
   *     another version carries PENDING
   */
  SecretVersion createPending(
      String secret, String versionId, byte[] value, Map<String, String> metadata);

  /**
   * Records {@code metadata} on the existing, active version {@code versionId}; keys it already has
   * keep their values. No version is created and no label moves: how Breakglass adopts a version
   * another tool made ({@code rotatedAt}, {@code version}, {@code rotationId}). A no-op when every
   * key is already there.
   *
   * @throws SecretStoreException {@code VERSION_NOT_FOUND}; {@code ILLEGAL_KEY_STATE} for a
   *     discarded or revoked version; {@code INVALID_CONFIGURATION} from a store that keeps no
   *     metadata of its own
   */
  default void annotate(String secret, String versionId, Map<String, String> metadata) {
    throw new SecretStoreException(
        RotationErrors.INVALID_CONFIGURATION,
        this + " cannot record metadata on version " + versionId + " of " + secret);
  }

  /**
   * Moves CURRENT to {@code versionId}; the version that was CURRENT gets PREVIOUS, and the
   * promoted version loses PENDING. A no-op when it is CURRENT already.
   *
   * @throws SecretStoreException {@code ILLEGAL_KEY_STATE} for a discarded or revoked version
   */
  void moveCurrent(String secret, String versionId);

  /**
   * Puts CURRENT on {@code currentVersionId} and PREVIOUS on {@code previousVersionId} (or on no
   * version when null), removing them from any other version: a rollback of {@link #moveCurrent}.
   * Idempotent.
   */
  void restoreLabels(String secret, String currentVersionId, String previousVersionId);

  /**
   * Removes every label from {@code versionId} and marks it DISCARDED. A no-op when it does not
   * exist or is discarded already (a rollback may run before the create did).
   *
   * @throws SecretStoreException {@code ILLEGAL_KEY_STATE} when it is CURRENT
   */
  void discard(String secret, String versionId);

  /**
   * Removes every label from {@code versionId} and marks it REVOKED, recording {@code rotationId}.
   * Nothing is destroyed. A no-op when already revoked.
   *
   * @throws SecretStoreException {@code ILLEGAL_KEY_STATE} when it is CURRENT
   */
  void revoke(String secret, String versionId, String rotationId);

  /**
   * Undoes {@link #revoke} within the way back after REVOKE: version {@code versionId}, revoked by
   * rotation {@code rotationId}, is ACTIVE again to decrypt. It gets PREVIOUS when no other version
   * carries it, never CURRENT or PENDING, and its metadata records {@code unrevokedBy} = {@code
   * rotationId}. Nothing is created or destroyed. A no-op when it is active already (a retry).
   *
   * @throws SecretStoreException {@code VERSION_NOT_FOUND}; {@code ILLEGAL_KEY_STATE} for a
   *     discarded version, or a revoked one that {@code rotationId} did not revoke (or of which the
   *     store no longer knows who revoked it)
   */
  void unrevoke(String secret, String versionId, String rotationId);

  /**
   * Holds an operator-supplied value (an API key) for the secret's next rotation. It replaces any
   * staged value; it is never returned by {@link #describe}.
   */
  void stage(String secret, byte[] value);

  /** The staged value, or null when none is staged. */
  byte[] staged(String secret);

  /** Forgets the staged value; a no-op when none is staged. */
  void clearStaged(String secret);
}
