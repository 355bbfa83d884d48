package io.breakglass.activities.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The fake refuses what Secrets Manager refuses, through the real SDK: these are the negative
 * controls for the store tests, which would otherwise pass against a fake that accepts anything.
 */
class FakeSecretsManagerTest {

  private static final String A = "aaaaaaaa-0000-4000-8000-000000000001";
  private static final String B = "bbbbbbbb-0000-4000-8000-000000000002";

  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final SecretsManagerClient sdk = fake.client();

  @AfterEach
  void stop() {
    sdk.close();
    fake.close();
  }

  @Test
  void aPutWithoutStages_movesCurrent_andCurrentTakesPreviousAlong() {
    sdk.createSecret(r -> r.name("s"));
    put(A, "one", null);
    put(B, "two", null);

    assertThat(fake.labels("s")).containsEntry(A, List.of("AWSPREVIOUS")).containsEntry(B, List.of("AWSCURRENT"));
  }

  @Test
  void movingALabelFromAnotherVersion_withoutNamingThatVersion_isRefused() {
    sdk.createSecret(r -> r.name("s"));
    put(A, "one", null);
    put(B, "two", List.of("AWSPENDING"));

    assertThatThrownBy(() -> sdk.updateSecretVersionStage(r -> r.secretId("s").versionStage("AWSCURRENT").moveToVersionId(B)))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sdk.updateSecretVersionStage(r -> r.secretId("s").versionStage("AWSCURRENT").removeFromVersionId(A)))
        .as("AWSCURRENT is never removed without a move").isInstanceOf(InvalidParameterException.class);
    assertThat(fake.labels("s")).containsEntry(A, List.of("AWSCURRENT")).containsEntry(B, List.of("AWSPENDING"));
  }

  @Test
  void theSameTokenWithAnotherValue_isRefused_andAnUnknownSecretIsNotFound() {
    sdk.createSecret(r -> r.name("s"));
    put(A, "one", null);

    assertThatThrownBy(() -> put(A, "other", null)).isInstanceOf(ResourceExistsException.class);
    assertThatThrownBy(() -> sdk.describeSecret(r -> r.secretId("nope"))).isInstanceOf(ResourceNotFoundException.class);
  }

  private void put(String token, String value, List<String> stages) {
    sdk.putSecretValue(r -> r.secretId("s").clientRequestToken(token)
        .secretBinary(SdkBytes.fromUtf8String(value)).versionStages(stages));
  }
}
