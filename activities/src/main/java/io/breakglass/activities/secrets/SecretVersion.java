package io.breakglass.activities.secrets;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One version of a secret, without its material.
 *
 * @param versionId the version id (the idempotency token it was created with)
 * @param labels the labels it carries now
 * @param status active, discarded or revoked
 * @param metadata {@code rotatedAt}, {@code version}, {@code rotationId}, and store-specific keys
 * @param createdAt when it was created
 * @param statusChangedAt when it was discarded or revoked, or made active again by an un-revoke;
 *     null when its status never changed
 */
public record SecretVersion(
    String versionId,
    Set<Label> labels,
    VersionStatus status,
    Map<String, String> metadata,
    Instant createdAt,
    Instant statusChangedAt) {

  /** Metadata key: the rotation that revoked the version. */
  public static final String REVOKED_BY = "revokedBy";

  /** Metadata key: the rotation whose revoke of the version an un-revoke undid. */
  public static final String UNREVOKED_BY = "unrevokedBy";

  public boolean has(Label label) {
    return labels.contains(label);
  }
}
