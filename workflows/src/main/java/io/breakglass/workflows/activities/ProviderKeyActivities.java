package io.breakglass.workflows.activities;

import io.temporal.activity.ActivityInterface;

/**
 * Revocation of a replaced API key at the provider that issued it, after REVOKE. Key ids only cross
 * this interface; key values are read and matched inside the activity.
 */
@ActivityInterface
public interface ProviderKeyActivities {

  /**
   * The provider's key id of version {@code versionId} of {@code secret}, and whether Breakglass
   * can revoke it there itself. With an admin key, the id is found among the project's keys by the
   * redacted value the provider lists; without one, the id is unknown (null) and a human revokes
   * the key. For a secret with no provider configured, {@code provider} is null.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code PROVIDER_KEY_NOT_FOUND} when no key of
   *     the project matches the version, or more than one does; {@code PROVIDER_REFUSED} when the
   *     provider refuses the admin key; {@code PROVIDER_UNAVAILABLE} when it does not answer
   */
  ProviderKey findProviderKey(ProviderKeyRequest request);

  /**
   * Deletes key {@code keyId} at the provider. Idempotent: a key the provider no longer has (404)
   * counts as deleted.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code PROVIDER_REFUSED} when the provider
   *     refuses the admin key; {@code PROVIDER_UNAVAILABLE} when it does not answer
   */
  ProviderKeyDeletion deleteProviderKey(ProviderKey key);

  /**
   * @param rotationId the rotation asking
   * @param secret the secret's name
   * @param versionId the version whose key is looked up (the one the rotation replaced)
   */
  record ProviderKeyRequest(String rotationId, String secret, String versionId) {}

  /**
   * A key at its provider, by id.
   *
   * @param secret the secret's name
   * @param versionId the secret's version that holds the key
   * @param provider who issued it (e.g. {@code OpenAI}), or null when none is configured
   * @param project the provider's project the key belongs to
   * @param keyId the provider's id of the key (e.g. {@code key_abc}); null when unknown
   * @param automatic whether an admin key lets Breakglass delete it itself
   */
  record ProviderKey(
      String secret,
      String versionId,
      String provider,
      String project,
      String keyId,
      boolean automatic) {}

  /**
   * @param keyId the deleted key's id
   * @param alreadyGone true when the provider no longer had it (a retry, or deleted by hand)
   */
  record ProviderKeyDeletion(String keyId, boolean alreadyGone) {}
}
