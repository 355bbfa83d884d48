package io.breakglass.workflows.activities;

import io.breakglass.workflows.messages.values.NewVersion;
import io.temporal.activity.ActivityInterface;

/**
 * CREATE_VERSION, PROMOTE and REVOKE on the secret store, and their compensations. Every method
 * takes and returns version ids only: key material is generated, stored and read inside the
 * activity.
 */
@ActivityInterface
public interface SecretActivities {

  /**
   * Creates the rotation's new version of a secret, labelled PENDING, with metadata {@code
   * rotatedAt}, {@code version} and {@code rotationId}. The version id is a token derived from the
   * rotation id and the secret, so a retry after a crash returns the version the first attempt made
   * and creates nothing new.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code STALE_PENDING} when another version
   *     already carries PENDING, {@code OPERATOR_VALUE_MISSING} for an API key with no supplied
   *     value, {@code OPERATOR_VALUE_REFUSED} when the supplied value fails its configured check
   *     (checked before the version is created, so an unproven value is never promoted)
   */
  NewVersion createVersion(VersionRequest request);

  /**
   * Compensation of {@link #createVersion}: removes every label from the version and marks it
   * discarded (the material is kept, nothing is destroyed). A no-op when already discarded.
   */
  void discardVersion(VersionRequest request);

  /**
   * Moves CURRENT to the version named in the request (which moves PREVIOUS to the version that was
   * CURRENT). A no-op when it is CURRENT already.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code ILLEGAL_KEY_STATE} for a revoked or
   *     discarded version
   */
  void promote(VersionRequest request);

  /**
   * Compensation of {@link #promote}: puts CURRENT and PREVIOUS back where {@code change} says they
   * were before the rotation. Idempotent.
   */
  void restoreLabels(NewVersion change);

  /**
   * REVOKE: removes the labels of the version and marks it revoked (recoverable for the configured
   * window; nothing is destroyed). A no-op when already revoked.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code ILLEGAL_KEY_STATE} when the version is
   *     CURRENT
   */
  void revoke(VersionRequest request);

  /**
   * The way back after REVOKE: the version that rotation {@code rotationId} revoked becomes usable
   * again for decrypting (ACTIVE, PREVIOUS when no other version carries it, never CURRENT or
   * PENDING); its metadata records {@code unrevokedBy}. Nothing else changes. A no-op when it is
   * active again already.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code ILLEGAL_KEY_STATE} when the version is
   *     discarded or was revoked by another rotation, {@code VERSION_NOT_FOUND}
   */
  void unrevoke(VersionRequest request);

  /**
   * @param rotationId the rotation, recorded in version metadata and used for the token
   * @param secret the secret's name
   * @param versionId the version acted on; null for {@link #createVersion}
   */
  record VersionRequest(String rotationId, String secret, String versionId) {}
}
