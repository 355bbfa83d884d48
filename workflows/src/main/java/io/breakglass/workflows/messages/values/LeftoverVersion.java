package io.breakglass.workflows.messages.values;

/**
 * A version of a secret that is still usable although it is neither CURRENT nor PREVIOUS: what an
 * earlier rotation left behind when it ended without its own clean-up (terminated, its history
 * lost), or a version made outside Breakglass. It may be one suspected compromised.
 *
 * @param versionId the version
 * @param pending whether it still carries the PENDING label of a rotation that did not finish
 * @param rotationId the rotation that made it, when its metadata says so; else null
 */
public record LeftoverVersion(String versionId, boolean pending, String rotationId) {

  /** One line for the timeline and the report, e.g. {@code v3 (PENDING, made by rotation r2)}. */
  public String describe() {
    return versionId
        + " ("
        + (pending ? "PENDING" : "usable, no label")
        + (rotationId == null ? "" : ", made by rotation " + rotationId)
        + ")";
  }
}
