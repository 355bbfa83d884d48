package io.breakglass.activities.secrets;

import java.util.List;
import java.util.Optional;

/**
 * A secret and all its versions, without material.
 *
 * @param name the secret
 * @param versions every version, oldest first
 */
public record SecretState(String name, List<SecretVersion> versions) {

  /** The version carrying {@code label}, if any. */
  public Optional<SecretVersion> labelled(Label label) {
    return versions.stream().filter(v -> v.has(label)).findFirst();
  }

  /** The version with this id, if any. */
  public Optional<SecretVersion> version(String versionId) {
    return versions.stream().filter(v -> v.versionId().equals(versionId)).findFirst();
  }
}
