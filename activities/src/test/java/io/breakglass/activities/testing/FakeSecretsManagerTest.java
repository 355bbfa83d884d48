package io.breakglass.activities.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

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

    assertThat(fake.labels("s"))
        .containsEntry(A, List.of("AWSPREVIOUS"))
        .containsEntry(B, List.of("AWSCURRENT"));
  }

  @Test
  void movingALabelFromAnotherVersion_withoutNamingThatVersion_isRefused() {
    sdk.createSecret(r -> r.name("s"));
    put(A, "one", null);
    put(B, "two", List.of("AWSPENDING"));

    assertThatThrownBy(
            () ->
                sdk.updateSecretVersionStage(
                    r -> r.secretId("s").versionStage("AWSCURRENT").moveToVersionId(B)))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(
            () ->
                sdk.updateSecretVersionStage(
                    r -> r.secretId("s").versionStage("AWSCURRENT").removeFromVersionId(A)))
        .as("AWSCURRENT is never removed without a move")
        .isInstanceOf(InvalidParameterException.class);
    assertThat(fake.labels("s"))
        .containsEntry(A, List.of("AWSCURRENT"))
        .containsEntry(B, List.of("AWSPENDING"));
  }

  @Test
  void theSameTokenWithAnotherValue_isRefused_andAnUnknownSecretIsNotFound() {
    sdk.createSecret(r -> r.name("s"));
    put(A, "one", null);

    assertThatThrownBy(() -> put(A, "other", null)).isInstanceOf(ResourceExistsException.class);
    assertThatThrownBy(() -> sdk.describeSecret(r -> r.secretId("nope")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void theFiftyFirstTag_isRefusedAsAwsRefusesIt_andUntaggingMakesRoom() {
    sdk.createSecret(r -> r.name("s"));
    for (int i = 1; i <= 50; i++) {
      tag("k" + i, "v");
    }
    tag("k50", "replaced"); // replacing a key adds no tag

    assertThatThrownBy(() -> tag("k51", "v"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("maximum number of tags per secret is 50");
    assertThat(fake.tags("s")).hasSize(50).doesNotContainKey("k51");

    sdk.untagResource(r -> r.secretId("s").tagKeys("k1", "never-there"));
    tag("k51", "v");
    assertThat(fake.tags("s")).hasSize(50).containsKey("k51").doesNotContainKey("k1");
  }

  @Test
  void aTagKeyOver128OrAValueOver256Characters_isAValidationError() {
    sdk.createSecret(r -> r.name("s"));
    tag("k".repeat(128), "v".repeat(256));

    assertThatThrownBy(() -> tag("k".repeat(129), "v"))
        .isInstanceOf(SecretsManagerException.class)
        .satisfies(
            e ->
                assertThat(((SecretsManagerException) e).awsErrorDetails().errorCode())
                    .isEqualTo("ValidationException"))
        .hasMessageContaining(
            "at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128");
    assertThatThrownBy(() -> tag("k", "v".repeat(257)))
        .isInstanceOf(SecretsManagerException.class)
        .hasMessageContaining(
            "at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256");
    assertThat(fake.tags("s")).hasSize(1);
  }

  private void tag(String key, String value) {
    sdk.tagResource(r -> r.secretId("s").tags(Tag.builder().key(key).value(value).build()));
  }

  private void put(String token, String value, List<String> stages) {
    sdk.putSecretValue(
        r ->
            r.secretId("s")
                .clientRequestToken(token)
                .secretBinary(SdkBytes.fromUtf8String(value))
                .versionStages(stages));
  }
}
