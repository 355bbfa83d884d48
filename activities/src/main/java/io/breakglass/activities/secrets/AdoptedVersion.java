package io.breakglass.activities.secrets;

import io.breakglass.workflows.RotationErrors;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The version of an existing secret that Breakglass takes over as its first, without rotating
 * anything: the one labelled CURRENT, or the only active version when none is. Recording it puts
 * CURRENT on it (when it lacks it) and records {@code version=1}, {@code rotationId=adopted},
 * {@code rotatedAt} (when the version was created, so the secret's age is its real age) and {@code
 * adoptedAt}, keeping any of them it already has. No version is created; no value is read or
 * written.
 *
 * @param secret the secret
 * @param versionId the adopted version
 * @param current whether it carries CURRENT already
 * @param recorded whether Breakglass's metadata is on it already (it made it, or adopted it before)
 */
public record AdoptedVersion(String secret, String versionId, boolean current, boolean recorded) {

  /** The rotation id an adopted version is recorded under. */
  public static final String ROTATION_ID = "adopted";

  /**
   * The version {@code secret} would be adopted at.
   *
   * @throws SecretStoreException {@code VERSION_NOT_FOUND} when the secret does not exist or has no
   *     active version; {@code ILLEGAL_KEY_STATE} when none is CURRENT and several are active
   *     (which one the application uses is then not Breakglass's guess to make)
   */
  public static AdoptedVersion find(SecretStore store, String secret) {
    SecretState state = store.describe(secret);
    Optional<SecretVersion> current = state.labelled(Label.CURRENT);
    if (current.isPresent()) {
      return of(secret, current.get());
    }
    List<SecretVersion> active =
        state.versions().stream().filter(v -> v.status() == VersionStatus.ACTIVE).toList();
    if (active.isEmpty()) {
      throw new SecretStoreException(
          RotationErrors.VERSION_NOT_FOUND, "secret " + secret + " has no active version to adopt");
    }
    if (active.size() > 1) {
      throw new SecretStoreException(
          RotationErrors.ILLEGAL_KEY_STATE,
          "secret "
              + secret
              + " has "
              + active.size()
              + " active versions and none is CURRENT: label the one the"
              + " application uses CURRENT, then adopt");
    }
    return of(secret, active.get(0));
  }

  /** Labels it CURRENT and records Breakglass's metadata on it; a no-op when both are done. */
  public void record(SecretStore store, Instant now) {
    if (!current) {
      store.moveCurrent(secret, versionId);
    }
    if (!recorded) {
      SecretVersion version = store.describe(secret).version(versionId).orElseThrow();
      Map<String, String> metadata = new LinkedHashMap<>();
      metadata.put("version", "1");
      metadata.put("rotationId", ROTATION_ID);
      metadata.put(
          "rotatedAt", (version.createdAt() == null ? now : version.createdAt()).toString());
      metadata.put("adoptedAt", now.toString());
      store.annotate(secret, versionId, metadata);
    }
  }

  private static AdoptedVersion of(String secret, SecretVersion version) {
    return new AdoptedVersion(
        secret,
        version.versionId(),
        version.has(Label.CURRENT),
        version.metadata().containsKey("rotationId"));
  }
}
