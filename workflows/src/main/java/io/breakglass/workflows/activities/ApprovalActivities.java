package io.breakglass.workflows.activities;

import io.breakglass.workflows.messages.values.Jwk;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The identity provider's signing keys, fetched for the workflow so that it can verify tokens
 * itself. The workflow holds what this returns in its state: replaying it checks every proof
 * against the same keys.
 */
@ActivityInterface
public interface ApprovalActivities {

  /**
   * Fetches the configured identity provider's JWKS and returns its public signing keys. Read-only,
   * so safe to retry.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_CONFIGURATION} when no identity
   *     provider is configured or {@code issuer} is not the configured one, {@code
   *     IDENTITY_PROVIDER_UNAVAILABLE} (retried) when the JWKS cannot be read
   */
  IssuerKeys issuerKeys(KeysRequest request);

  /**
   * @param rotationId the rotation that asks, for the logs
   * @param issuer the issuer the plan names; must still be the configured one
   */
  record KeysRequest(String rotationId, String issuer) {}

  /**
   * @param issuer whose keys these are
   * @param keys the public signing keys (RSA, EC P-256, Ed25519), in the JWKS's order
   */
  record IssuerKeys(String issuer, List<Jwk> keys) {}
}
