package io.breakglass.workflows.messages.values;

/**
 * A version CREATE_VERSION made, with the label state it replaces (what a rollback restores).
 *
 * @param secret the secret's name
 * @param versionId the new version, labelled PENDING when created
 * @param replacedVersionId the version that was CURRENT before the rotation
 * @param priorPreviousVersionId the version that was PREVIOUS before the rotation, or null
 */
public record NewVersion(
    String secret, String versionId, String replacedVersionId, String priorPreviousVersionId) {

  /** The key id of the new version, as envelopes carry it. */
  public String newKeyId() {
    return secret + ":" + versionId;
  }

  /** The key id of the replaced version. */
  public String oldKeyId() {
    return secret + ":" + replacedVersionId;
  }
}
