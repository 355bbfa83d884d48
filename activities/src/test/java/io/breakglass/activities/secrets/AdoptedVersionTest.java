package io.breakglass.activities.secrets;

import static io.breakglass.activities.secrets.StoreRefusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretEncoding;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.secrets.aws.AwsSecretsManagerStore;
import io.breakglass.activities.testing.FakeSecretsManager;
import io.breakglass.activities.testing.FakeSecretsManager.Call;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Adopting a version another tool made: in Secrets Manager (the fake speaks its protocol) its
 * AWSCURRENT version gets Breakglass's metadata in a tag, and no value is read or written; a secret
 * the store does not have is refused, and nothing is created.
 */
class AdoptedVersionTest {

  private static final String KEY = "artifact-encryption-key";
  private static final String AWS_ID = "prod/artifact-encryption-key";
  private static final Instant NOW = Instant.parse("2026-11-28T03:00:00Z");

  private final FakeSecretsManager fake = FakeSecretsManager.start();

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void
      aVersionPutBySomeoneElse_isRecordedAsBreakglassesFirst_withoutANewVersionOrReadingItsValue() {
    String versionId =
        fake.client().createSecret(r -> r.name(AWS_ID).secretString("c2VjcmV0")).versionId();
    SecretStore store =
        new AwsSecretsManagerStore(
            fake.client(),
            List.of(
                new SecretConfig(
                        KEY, SecretKind.DATA_KEY, SecretStoreType.AWS_SECRETS_MANAGER, AWS_ID, null)
                    .withEncoding(SecretEncoding.BASE64, null)),
            Clock.systemUTC());
    fake.clearCalls();

    AdoptedVersion adopted = AdoptedVersion.find(store, KEY);
    adopted.record(store, NOW);

    assertThat(adopted).isEqualTo(new AdoptedVersion(KEY, versionId, true, false));
    SecretVersion version = store.describe(KEY).versions().get(0);
    assertThat(store.describe(KEY).versions()).hasSize(1);
    assertThat(version.labels()).containsExactly(Label.CURRENT);
    assertThat(version.metadata())
        .containsEntry("version", "1")
        .containsEntry("rotationId", "adopted")
        .containsEntry("rotatedAt", version.createdAt().toString())
        .containsEntry("adoptedAt", NOW.toString());
    assertThat(fake.calls())
        .extracting(Call::operation)
        .doesNotContain("GetSecretValue", "PutSecretValue", "UpdateSecretVersionStage")
        .contains("TagResource");
    assertThat(AdoptedVersion.find(store, KEY).recorded())
        .as("adopting again records nothing")
        .isTrue();
  }

  @Test
  void negativeControl_aSecretTheStoreDoesNotHave_isNotAdoptable() {
    SecretStore store = new AwsSecretsManagerStore(fake.client(), List.of(), Clock.systemUTC());

    SecretStoreException refused = refused(() -> AdoptedVersion.find(store, KEY));

    assertThat(refused.error()).isEqualTo(RotationErrors.VERSION_NOT_FOUND);
    assertThat(refused.getMessage()).contains(KEY);
    assertThat(fake.exists(KEY)).as("nothing created").isFalse();
  }
}
