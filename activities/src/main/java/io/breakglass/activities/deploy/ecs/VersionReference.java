package io.breakglass.activities.deploy.ecs;

/**
 * A container secret's {@code valueFrom} that names one version of a Secrets Manager secret, in the
 * form ECS documents: {@code <secret ARN>:<json-key>:<version-stage>:<version-id>}, the stage left
 * empty since the version id names the version.
 */
final class VersionReference {

  private VersionReference() {}

  /** The {@code valueFrom} that names {@code versionId} of the secret at {@code arn}. */
  static String of(String arn, String jsonKey, String versionId) {
    return arn + ":" + (jsonKey == null ? "" : jsonKey) + "::" + versionId;
  }

  /**
   * The version id {@code valueFrom} names, or null when it names none (the whole secret's
   * AWSCURRENT, a stage, another secret).
   */
  static String versionId(String valueFrom, String arn) {
    if (valueFrom == null || !valueFrom.startsWith(arn + ":")) {
      return null;
    }
    String[] parts = valueFrom.substring(arn.length() + 1).split(":", -1);
    return parts.length == 3 && !parts[2].isEmpty() ? parts[2] : null;
  }
}
