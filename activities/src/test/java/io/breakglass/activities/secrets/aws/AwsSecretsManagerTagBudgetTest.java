package io.breakglass.activities.secrets.aws;

import static io.breakglass.activities.secrets.StoreRefusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretState;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.activities.testing.FakeSecretsManager;
import io.breakglass.activities.testing.FakeSecretsManager.Call;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * A secret keeps rotating past AWS's 50 tags: one tag per version, and the oldest retired versions
 * give theirs up. Each rotation here is what the workflow does to the store: create pending,
 * promote, revoke the version it replaced.
 */
class AwsSecretsManagerTagBudgetTest {

  private static final String JWT = "jwt";
  private static final String JWT_ID = "prod/jwt";
  private static final int CUSTOMER_TAGS = 5;

  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final SecretsManagerClient client = fake.client();

  @AfterEach
  void stop() {
    client.close();
    fake.close();
  }

  @Test
  void sixtyRotations_keepWorking_withinTheBudget_andTheLabelledVersionsKeepTheirMetadata() {
    AwsSecretsManagerStore store = store(TagBudget.AWS);
    first(store);
    tagAsCustomer();

    for (int i = 1; i <= 60; i++) {
      rotate(store, i);
      assertThat(breakglassTags())
          .as("after rotation %d", i)
          .isLessThanOrEqualTo(TagBudget.DEFAULT);
    }
    store.createPending(JWT, version(61), value(61), Map.of("rotationId", "r61"));
    store.moveCurrent(JWT, version(61));
    store.createPending(JWT, version(62), value(62), Map.of("rotationId", "r62"));

    SecretState state = store.describe(JWT);
    assertThat(state.versions()).hasSize(63);
    assertLabelledWithMetadata(state, Label.PENDING, 62);
    assertLabelledWithMetadata(state, Label.CURRENT, 61);
    assertLabelledWithMetadata(state, Label.PREVIOUS, 60);
    SecretVersion recent = state.version(version(59)).orElseThrow();
    assertThat(recent.status()).isEqualTo(VersionStatus.REVOKED);
    assertThat(recent.metadata()).containsEntry("revokedBy", "r60").containsEntry("version", "60");
    SecretVersion oldest = state.version(version(0)).orElseThrow();
    assertThat(oldest.status())
        .as("its tag given up: retired, details unknown")
        .isEqualTo(VersionStatus.REVOKED);
    assertThat(oldest.metadata()).isEmpty();
    assertThat(store.material(JWT, version(0))).as("nothing is destroyed").isEqualTo(value(0));
    assertThat(fake.tags(JWT_ID)).as("the owner's tags stay").containsKeys("team", "owner-4");
    assertThat(fake.tags(JWT_ID)).hasSizeLessThanOrEqualTo(TagBudget.DEFAULT + CUSTOMER_TAGS);
  }

  @Test
  void negativeControl_withoutGivingTagsUp_theFiftyFirstVersionIsRefusedByAws() {
    AwsSecretsManagerStore store =
        store(new TagBudget(Integer.MAX_VALUE, Integer.MAX_VALUE)); // gives nothing up
    first(store);
    for (int i = 1; i < TagBudget.AWS_LIMIT; i++) {
      rotate(store, i);
    }

    SecretStoreException e = refused(() -> rotate(store, TagBudget.AWS_LIMIT));

    assertThat(e.error()).isEqualTo(RotationErrors.INVALID_CONFIGURATION);
    assertThat(e.getMessage())
        .contains("InvalidRequestException")
        .contains("maximum number of tags per secret is 50");
    assertThat(fake.tags(JWT_ID)).hasSize(TagBudget.AWS_LIMIT);
  }

  @Test
  void aCrashAfterTheUntagBeforeTheTag_isRepairedByTheRetry() {
    AwsSecretsManagerStore store = store(new TagBudget(3, TagBudget.AWS_LIMIT));
    first(store);
    rotate(store, 1);
    rotate(store, 2);
    rotate(store, 3);
    fake.loseAnswers("UntagResource", 10); // carried out, then every answer lost: the call fails

    SecretStoreException crashed =
        refused(() -> store.createPending(JWT, version(4), value(4), Map.of()));
    fake.loseAnswers("UntagResource", 0);
    SecretVersion retried =
        store.createPending(JWT, version(4), value(4), Map.of("rotationId", "r4"));

    assertThat(crashed.error()).isEqualTo(RotationErrors.SECRET_STORE_UNAVAILABLE);
    assertThat(retried.labels()).containsExactly(Label.PENDING);
    assertThat(retried.metadata()).containsEntry("version", "5").containsEntry("rotationId", "r4");
    assertThat(breakglassTags()).isLessThanOrEqualTo(3);
    assertThat(fake.calls()).extracting(Call::operation).contains("UntagResource");
  }

  @Test
  void aVersionWhoseTagWasGivenUp_staysRetired_andDiscardingItAgainIsANoOp() {
    AwsSecretsManagerStore store = store(new TagBudget(2, TagBudget.AWS_LIMIT));
    first(store);
    store.createPending(JWT, version(1), value(1), Map.of());
    store.discard(JWT, version(1));
    rotate(store, 2);
    rotate(store, 3);
    assertThat(fake.tags(JWT_ID)).doesNotContainKey("breakglass:" + version(1));

    store.discard(JWT, version(1));
    store.revoke(JWT, version(1), "r9");

    SecretVersion given = store.describe(JWT).version(version(1)).orElseThrow();
    assertThat(given.status()).isEqualTo(VersionStatus.REVOKED);
    assertThat(given.statusChangedAt()).isNull();
    assertThat(refused(() -> store.moveCurrent(JWT, version(1))).error())
        .isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(fake.tags(JWT_ID)).doesNotContainKey("breakglass:" + version(1));
  }

  @Test
  void versionsMadeByAnotherTool_getATagBeforeAPromotionUnlabelsThem_soARollbackCanUseThem() {
    AwsSecretsManagerStore store = store(TagBudget.AWS);
    client.createSecret(
        r -> r.name(JWT_ID).secretString("made-elsewhere").clientRequestToken(version(0)));
    client.putSecretValue(
        r -> r.secretId(JWT_ID).secretString("elsewhere-again").clientRequestToken(version(1)));
    store.createPending(JWT, version(2), value(2), Map.of());

    store.moveCurrent(JWT, version(2)); // AWS takes AWSPREVIOUS off version 0

    SecretVersion unlabelled = store.describe(JWT).version(version(0)).orElseThrow();
    assertThat(unlabelled.labels()).isEmpty();
    assertThat(unlabelled.status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(fake.tags(JWT_ID))
        .containsEntry("breakglass:" + version(0), "")
        .containsEntry("breakglass:" + version(1), "");
    store.restoreLabels(JWT, version(1), version(0));
    assertThat(fake.labels(JWT_ID))
        .containsEntry(version(0), List.of("AWSPREVIOUS"))
        .containsEntry(version(1), List.of("AWSCURRENT"))
        .containsEntry(version(2), List.of());
  }

  private static void first(AwsSecretsManagerStore store) {
    store.createPending(JWT, version(0), value(0), Map.of("rotationId", "r0"));
    store.moveCurrent(JWT, version(0)); // takes AWSPENDING off; AWS gave it AWSCURRENT too
  }

  private void rotate(AwsSecretsManagerStore store, int i) {
    String replaced = store.describe(JWT).labelled(Label.CURRENT).orElseThrow().versionId();
    store.createPending(JWT, version(i), value(i), Map.of("rotationId", "r" + i));
    store.moveCurrent(JWT, version(i));
    store.revoke(JWT, replaced, "r" + i);
  }

  private void assertLabelledWithMetadata(SecretState state, Label label, int i) {
    SecretVersion version = state.labelled(label).orElseThrow();
    assertThat(version.versionId()).isEqualTo(version(i));
    assertThat(version.status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(version.metadata())
        .containsEntry("version", Integer.toString(i + 1))
        .containsEntry("rotationId", "r" + i);
  }

  private void tagAsCustomer() {
    client.tagResource(
        r -> r.secretId(JWT_ID).tags(Tag.builder().key("team").value("payments").build()));
    for (int i = 1; i < CUSTOMER_TAGS; i++) {
      String key = "owner-" + i;
      client.tagResource(r -> r.secretId(JWT_ID).tags(Tag.builder().key(key).value("x").build()));
    }
  }

  private long breakglassTags() {
    return fake.tags(JWT_ID).keySet().stream()
        .filter(k -> k.startsWith(VersionTags.PREFIX))
        .count();
  }

  private AwsSecretsManagerStore store(TagBudget tagBudget) {
    return new AwsSecretsManagerStore(
        client,
        List.of(new SecretConfig(JWT, SecretKind.SIGNING_SECRET, null, JWT_ID, null)),
        Clock.systemUTC(),
        tagBudget);
  }

  private static String version(int i) {
    return String.format("00000000-0000-4000-8000-%012d", i);
  }

  private static byte[] value(int i) {
    return ("value-" + i).getBytes(StandardCharsets.UTF_8);
  }
}
