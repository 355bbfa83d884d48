package io.breakglass.activities.deploy;

/**
 * Where a target that hands key material to a workload reads it: the secret store. Only the
 * activity holds the bytes; the workflow passes version ids.
 */
@FunctionalInterface
public interface KeyMaterial {

  /**
   * The material of a version.
   *
   * @throws io.breakglass.activities.secrets.SecretStoreException when the store has no such
   *     version
   */
  byte[] of(String secret, String versionId);
}
