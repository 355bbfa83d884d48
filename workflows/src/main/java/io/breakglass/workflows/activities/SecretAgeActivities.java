package io.breakglass.workflows.activities;

import io.temporal.activity.ActivityInterface;
import java.time.Instant;

/** The age of a secret's CURRENT version, from the {@code rotatedAt} the store keeps with it. */
@ActivityInterface
public interface SecretAgeActivities {

  /**
   * Reads the age of {@code secret}'s CURRENT version now, and refreshes the worker's {@code
   * breakglass_secret_age_seconds} gauge of it.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code UNKNOWN_SECRET}, {@code
   *     VERSION_NOT_FOUND}
   */
  SecretAge secretAge(SecretAgeRequest request);

  /**
   * @param rotationId the rotation asking
   * @param secret the secret's name
   */
  record SecretAgeRequest(String rotationId, String secret) {}

  /**
   * @param secret the secret's name
   * @param versionId its CURRENT version
   * @param rotatedAt when that version was made ({@code rotatedAt}, else the store's creation time)
   * @param ageSeconds whole seconds since {@code rotatedAt}, on the worker's clock
   * @param maxAgeSeconds the configured maximum age
   */
  record SecretAge(
      String secret, String versionId, Instant rotatedAt, long ageSeconds, long maxAgeSeconds) {}
}
