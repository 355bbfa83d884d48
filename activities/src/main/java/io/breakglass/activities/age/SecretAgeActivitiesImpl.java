package io.breakglass.activities.age;

import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.SecretAgeActivities;

/** {@link SecretAgeActivities} on the worker's {@link SecretAges}, which each check refreshes. */
public final class SecretAgeActivitiesImpl implements SecretAgeActivities {

  private final RotationSettings settings;
  private final SecretAges ages;

  public SecretAgeActivitiesImpl(RotationSettings settings, SecretAges ages) {
    this.settings = settings;
    this.ages = ages;
  }

  @Override
  public SecretAge secretAge(SecretAgeRequest request) {
    SecretConfig secret =
        settings
            .secret(request.secret())
            .orElseThrow(
                () ->
                    RotationErrors.UNKNOWN_SECRET.failure(
                        "secret " + request.secret() + " is not configured"));
    SecretAges.Reading reading;
    try {
      reading = ages.refresh(secret.name());
    } catch (SecretStoreException e) {
      throw e.error().failure(e.getMessage());
    }
    return new SecretAge(
        secret.name(),
        reading.versionId(),
        reading.rotatedAt(),
        ages.ageSeconds(reading),
        secret.maxAge().toSeconds());
  }
}
