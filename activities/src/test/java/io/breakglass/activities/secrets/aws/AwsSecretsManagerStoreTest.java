package io.breakglass.activities.secrets.aws;

import static io.breakglass.activities.secrets.StoreRefusals.assertNotFound;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The rules of {@code SecretStore} on Secrets Manager (the fake speaks its protocol), and the exact
 * calls each operation makes.
 */
class AwsSecretsManagerStoreTest {

  static final String JWT = "jwt";
  static final String JWT_ID = "prod/jwt";
  static final String V1 = "00000000-0000-4000-8000-000000000001";
  static final String V2 = "00000000-0000-4000-8000-000000000002";
  static final String V3 = "00000000-0000-4000-8000-000000000003";
  static final Map<String, String> META =
      Map.of("rotatedAt", "2026-03-01T09:59:00Z", "rotationId", "inc-42");
  static final Instant NOW = Instant.parse("2026-11-28T03:00:00Z");

  private FakeSecretsManager fake;
  private SecretsManagerClient client;
  private AwsSecretsManagerStore store;

  @BeforeEach
  void start() {
    fake = FakeSecretsManager.start();
    client = fake.client();
    store =
        new AwsSecretsManagerStore(
            client,
            List.of(
                new SecretConfig(JWT, SecretKind.SIGNING_SECRET, null, JWT_ID, null),
                new SecretConfig("openai", SecretKind.API_KEY, null, "prod/openai", null)),
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    client.close();
    fake.close();
  }

  // --- createPending ---

  @Test
  void createPending_onANewSecret_createsItUnderItsAwsIdAndTheFirstVersionAlsoGetsCurrent() {
    SecretVersion created = store.createPending(JWT, V1, value("one"), META);

    assertThat(fake.exists(JWT_ID)).isTrue();
    assertThat(fake.exists(JWT)).as("the AWS id, not the runbook name").isFalse();
    assertThat(created.versionId()).isEqualTo(V1);
    assertThat(created.labels()).containsExactlyInAnyOrder(Label.PENDING, Label.CURRENT);
    assertThat(created.metadata())
        .containsEntry("version", "1")
        .containsEntry("rotatedAt", "2026-03-01T09:59:00Z")
        .containsEntry("rotationId", "inc-42");
    assertThat(store.material(JWT, V1)).isEqualTo(value("one"));
  }

  @Test
  void createPending_onAnExistingSecret_putsAPendingVersionWithTheVersionIdAsClientRequestToken() {
    promote(V1, "one");
    fake.clearCalls();

    SecretVersion created = store.createPending(JWT, V2, value("two"), META);

    assertThat(created.labels()).containsExactly(Label.PENDING);
    assertThat(created.status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(created.metadata())
        .containsEntry("version", "2")
        .containsEntry("rotationId", "inc-42");
    assertThat(fake.labels(JWT_ID))
        .containsEntry(V1, List.of("AWSCURRENT"))
        .containsEntry(V2, List.of("AWSPENDING"));
    assertThat(operations())
        .containsExactly(
            "ListSecretVersionIds", "DescribeSecret", // read the versions and their tags
            "TagResource", "PutSecretValue", // metadata first, then the version
            "ListSecretVersionIds", "DescribeSecret"); // the version as created
    assertThat(fake.calls()).extracting(Call::secretId).containsOnly(JWT_ID);
  }

  @Test
  void createPending_retriedAfterACrash_createsNothingNewAndReturnsTheVersionAsItIsNow() {
    promote(V1, "one");
    SecretVersion first = store.createPending(JWT, V2, value("two"), META);
    store.moveCurrent(JWT, V2);
    fake.clearCalls();

    SecretVersion retried = store.createPending(JWT, V2, value("two"), Map.of("rotationId", "x"));

    assertThat(retried.versionId()).isEqualTo(first.versionId());
    assertThat(retried.labels()).containsExactly(Label.CURRENT);
    assertThat(retried.metadata()).isEqualTo(first.metadata());
    assertThat(fake.labels(JWT_ID)).hasSize(2);
    assertThat(operations())
        .containsExactly("ListSecretVersionIds", "DescribeSecret", "GetSecretValue");
  }

  @Test
  void createPending_whoseAnswerIsLost_isRetriedByTheSdkWithTheSameTokenAndMakesOneVersion() {
    promote(V1, "one");
    fake.loseAnswers("PutSecretValue", 1);
    fake.clearCalls();

    SecretVersion created = store.createPending(JWT, V2, value("two"), META);

    assertThat(created.labels()).containsExactly(Label.PENDING);
    assertThat(fake.labels(JWT_ID)).containsOnlyKeys(V1, V2);
    assertThat(operations()).filteredOn("PutSecretValue"::equals).hasSize(2);
  }

  @Test
  void createPending_withTheSameIdAndAnotherValue_isAnIdempotencyConflictNamingNoMaterial() {
    promote(V1, "one");
    store.createPending(JWT, V2, value("two"), META);

    SecretStoreException e = refused(() -> store.createPending(JWT, V2, value("other"), META));

    assertThat(e.error()).isEqualTo(RotationErrors.IDEMPOTENCY_CONFLICT);
    assertThat(e.getMessage())
        .contains(V2)
        .contains(JWT)
        .doesNotContain("other")
        .doesNotContain(Base64.getEncoder().encodeToString(value("other")));
    assertThat(store.material(JWT, V2)).isEqualTo(value("two"));
  }

  @Test
  void createPending_whileAnotherVersionCarriesPending_isStalePendingAndPutsNothing() {
    promote(V1, "one");
    store.createPending(JWT, V2, value("two"), META);
    fake.clearCalls();

    SecretStoreException e = refused(() -> store.createPending(JWT, V3, value("three"), META));

    assertThat(e.error()).isEqualTo(RotationErrors.STALE_PENDING);
    assertThat(e.getMessage()).contains(V2).contains(V3).contains(JWT);
    assertThat(fake.labels(JWT_ID)).containsOnlyKeys(V1, V2);
    assertThat(operations()).containsExactly("ListSecretVersionIds", "DescribeSecret");
  }

  @Test
  void createPending_refusesATokenAwsWouldRefuseAnEmptyValueAndAMissingArn() {
    assertThat(refused(() -> store.createPending(JWT, "v1", value("one"), META)).error())
        .isEqualTo(RotationErrors.INVALID_REQUEST);
    assertThat(refused(() -> store.createPending(JWT, V1, new byte[0], META)).error())
        .isEqualTo(RotationErrors.INVALID_REQUEST);
    AwsSecretsManagerStore byArn =
        new AwsSecretsManagerStore(
            client,
            List.of(
                new SecretConfig(
                    "openai",
                    SecretKind.API_KEY,
                    null,
                    FakeSecretsManager.arn("prod/openai"),
                    null)),
            Clock.systemUTC());
    SecretStoreException missing =
        refused(() -> byArn.createPending("openai", V1, value("sk"), META));
    assertThat(missing.error())
        .as("an ARN names a secret someone must create")
        .isEqualTo(RotationErrors.VERSION_NOT_FOUND);
    assertThat(fake.calls()).extracting(Call::operation).doesNotContain("CreateSecret");
  }

  @Test
  void anApiKey_isKeptAsTextAndAnUnknownSecretOrVersionIsVersionNotFound() {
    store.createPending("openai", V1, value("sk-live-one"), META);

    assertThat(store.material("openai", V1)).isEqualTo(value("sk-live-one"));
    assertNotFound(() -> store.describe("artifact-encryption-key"), "artifact-encryption-key");
    assertNotFound(() -> store.material("openai", V2), V2);
    assertNotFound(() -> store.moveCurrent("openai", V2), V2);
    assertNotFound(() -> store.revoke("openai", V2, "r"), V2);
    assertNotFound(() -> store.restoreLabels("openai", V2, null), V2);
  }

  // --- moveCurrent ---

  @Test
  void moveCurrent_movesAwsCurrentWithRemoveFromVersionIdAndTakesPendingOff() {
    promote(V1, "one");
    store.createPending(JWT, V2, value("two"), META);
    fake.clearCalls();

    store.moveCurrent(JWT, V2);

    assertThat(operations())
        .containsExactly(
            "ListSecretVersionIds",
            "DescribeSecret",
            "UpdateSecretVersionStage",
            "UpdateSecretVersionStage");
    assertThat(labels()).isEqualTo(Map.of(V1, List.of("AWSPREVIOUS"), V2, List.of("AWSCURRENT")));

    promote(V3, "three");
    assertThat(labels())
        .isEqualTo(Map.of(V1, List.of(), V2, List.of("AWSPREVIOUS"), V3, List.of("AWSCURRENT")));
  }

  @Test
  void moveCurrent_onTheCurrentVersion_changesNothing() {
    promote(V1, "one");
    promote(V2, "two");
    fake.clearCalls();

    store.moveCurrent(JWT, V2);

    assertThat(operations()).containsExactly("ListSecretVersionIds", "DescribeSecret");
    assertThat(labels()).isEqualTo(Map.of(V1, List.of("AWSPREVIOUS"), V2, List.of("AWSCURRENT")));
  }

  @Test
  void moveCurrent_refusesDiscardedAndRevokedVersions() {
    promote(V1, "one");
    store.createPending(JWT, V2, value("two"), META);
    store.discard(JWT, V2);
    promote(V3, "three");
    store.revoke(JWT, V1, "r3");

    SecretStoreException discarded = refused(() -> store.moveCurrent(JWT, V2));
    SecretStoreException revoked = refused(() -> store.moveCurrent(JWT, V1));

    assertThat(discarded.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(discarded.getMessage())
        .isEqualTo("cannot promote the discarded version " + V2 + " of jwt");
    assertThat(revoked.getMessage())
        .isEqualTo("cannot promote the revoked version " + V1 + " of jwt");
    assertThat(labels()).isEqualTo(Map.of(V1, List.of(), V2, List.of(), V3, List.of("AWSCURRENT")));
  }

  // --- restoreLabels ---

  @Test
  void restoreLabels_undoesAPromotionAndIsIdempotent() {
    promote(V1, "one");
    promote(V2, "two");
    promote(V3, "three");

    store.restoreLabels(JWT, V2, V1);
    assertThat(labels())
        .isEqualTo(Map.of(V1, List.of("AWSPREVIOUS"), V2, List.of("AWSCURRENT"), V3, List.of()));
    fake.clearCalls();

    store.restoreLabels(JWT, V2, V1);
    assertThat(operations()).containsExactly("ListSecretVersionIds", "DescribeSecret");
    assertThat(labels())
        .isEqualTo(Map.of(V1, List.of("AWSPREVIOUS"), V2, List.of("AWSCURRENT"), V3, List.of()));
  }

  @Test
  void restoreLabels_withNoPrevious_takesPreviousOffAndLeavesPendingWhereItIs() {
    promote(V1, "one");
    promote(V2, "two");
    store.createPending(JWT, V3, value("three"), META);

    store.restoreLabels(JWT, V2, null);

    assertThat(labels())
        .isEqualTo(Map.of(V1, List.of(), V2, List.of("AWSCURRENT"), V3, List.of("AWSPENDING")));
  }

  @Test
  void restoreLabels_refusesARevokedVersionAndOneVersionForBothLabels() {
    promote(V1, "one");
    promote(V2, "two");
    store.revoke(JWT, V1, "r2");

    assertThat(refused(() -> store.restoreLabels(JWT, V1, null)).error())
        .isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(refused(() -> store.restoreLabels(JWT, V2, V2)).error())
        .isEqualTo(RotationErrors.INVALID_REQUEST);
    assertThat(labels()).isEqualTo(Map.of(V1, List.of(), V2, List.of("AWSCURRENT")));
  }

  // --- discard and revoke ---

  @Test
  void discard_takesEveryLabelOffThenTagsTheVersionDiscarded_andKeepsTheValue() {
    promote(V1, "one");
    store.createPending(JWT, V2, value("two"), META);
    fake.clearCalls();

    store.discard(JWT, V2);

    SecretVersion v2 = store.describe(JWT).version(V2).orElseThrow();
    assertThat(v2.labels()).isEmpty();
    assertThat(v2.status()).isEqualTo(VersionStatus.DISCARDED);
    assertThat(v2.statusChangedAt()).isEqualTo(NOW);
    assertThat(fake.tags(JWT_ID))
        .as("one tag per version")
        .containsOnlyKeys("breakglass:" + V1, "breakglass:" + V2);
    assertThat(fake.tags(JWT_ID).get("breakglass:" + V2))
        .as("the status folded into the metadata tag")
        .contains("rotationId=inc-42")
        .endsWith(" version=2 status=DISCARDED at=2026-11-28T03:00:00Z");
    assertThat(store.material(JWT, V2)).as("nothing is destroyed").isEqualTo(value("two"));
    assertThat(operations())
        .startsWith(
            "ListSecretVersionIds", "DescribeSecret", "UpdateSecretVersionStage", "TagResource");
  }

  @Test
  void discard_isANoOpForAnUnknownSecretOrVersionAndAnAlreadyDiscardedOne() {
    store.discard("never-created", V1);
    promote(V1, "one");
    store.createPending(JWT, V2, value("two"), META);
    store.discard(JWT, V2);
    fake.clearCalls();

    store.discard(JWT, V2);
    store.discard(JWT, V3);

    assertThat(operations()).containsOnly("ListSecretVersionIds", "DescribeSecret");
    assertThat(fake.exists("never-created")).isFalse();
  }

  @Test
  void revoke_takesEveryLabelOffMarksTheVersionRevokedAndRecordsTheRotation() {
    promote(V1, "one");
    promote(V2, "two");

    store.revoke(JWT, V1, "inc-43");
    store.revoke(JWT, V1, "inc-44");

    SecretVersion v1 = store.describe(JWT).version(V1).orElseThrow();
    assertThat(v1.labels()).isEmpty();
    assertThat(v1.status()).isEqualTo(VersionStatus.REVOKED);
    assertThat(v1.statusChangedAt()).isEqualTo(NOW);
    assertThat(v1.metadata()).containsEntry("revokedBy", "inc-43").containsEntry("version", "1");
    assertThat(labels()).isEqualTo(Map.of(V1, List.of(), V2, List.of("AWSCURRENT")));
    assertThat(store.material(JWT, V1)).as("nothing is destroyed").isEqualTo(value("one"));
  }

  @Test
  void revoke_andDiscard_refuseTheCurrentVersion() {
    promote(V1, "one");

    SecretStoreException revoke = refused(() -> store.revoke(JWT, V1, "r"));
    SecretStoreException discard = refused(() -> store.discard(JWT, V1));

    assertThat(revoke.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(revoke.getMessage())
        .isEqualTo("cannot revoke the current version " + V1 + " of jwt");
    assertThat(discard.getMessage())
        .isEqualTo("cannot discard the current version " + V1 + " of jwt");
  }

  // --- unrevoke ---

  @Test
  void unrevoke_putsAwsPreviousBackThenRewritesTheTagWithoutStatus_andKeepsTheValue() {
    promote(V1, "one");
    promote(V2, "two");
    store.revoke(JWT, V1, "inc-43");
    fake.clearCalls();

    store.unrevoke(JWT, V1, "inc-43");

    assertThat(operations())
        .containsExactly(
            "ListSecretVersionIds", "DescribeSecret", "UpdateSecretVersionStage", "TagResource");
    SecretVersion v1 = store.describe(JWT).version(V1).orElseThrow();
    assertThat(v1.status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(v1.labels()).as("decrypt only, never CURRENT").containsExactly(Label.PREVIOUS);
    assertThat(v1.statusChangedAt()).isEqualTo(NOW);
    assertThat(v1.metadata())
        .containsEntry("revokedBy", "inc-43")
        .containsEntry("unrevokedBy", "inc-43")
        .containsEntry("version", "1");
    assertThat(labels()).isEqualTo(Map.of(V1, List.of("AWSPREVIOUS"), V2, List.of("AWSCURRENT")));
    assertThat(fake.tags(JWT_ID).get("breakglass:" + V1)).doesNotContain("status=");
    assertThat(store.material(JWT, V1)).isEqualTo(value("one"));

    fake.clearCalls();
    store.unrevoke(JWT, V1, "inc-43");
    assertThat(operations())
        .as("a retry reads and changes nothing")
        .containsOnly("ListSecretVersionIds", "DescribeSecret");
  }

  @Test
  void unrevoke_retriedAfterACrashBetweenLabelAndTag_readsRevokedUntilThenAndFinishesTheJob() {
    promote(V1, "one");
    promote(V2, "two");
    store.revoke(JWT, V1, "inc-43");
    // The first attempt moved the label, then died before the tag.
    client.updateSecretVersionStage(
        r -> r.secretId(JWT_ID).versionStage("AWSPREVIOUS").moveToVersionId(V1));
    assertThat(store.describe(JWT).version(V1).orElseThrow().status())
        .isEqualTo(VersionStatus.REVOKED);

    store.unrevoke(JWT, V1, "inc-43");

    assertThat(store.describe(JWT).version(V1).orElseThrow().status())
        .isEqualTo(VersionStatus.ACTIVE);
    assertThat(labels()).isEqualTo(Map.of(V1, List.of("AWSPREVIOUS"), V2, List.of("AWSCURRENT")));
  }

  @Test
  void unrevoke_refusesAVersionAnotherRotationRevoked_andOneWhoseTagWasGivenUp() {
    promote(V1, "one");
    promote(V2, "two");
    store.revoke(JWT, V1, "inc-43");
    promote(V3, "three");
    store.revoke(JWT, V2, "inc-44");
    client.untagResource(r -> r.secretId(JWT_ID).tagKeys("breakglass:" + V2));

    SecretStoreException other = refused(() -> store.unrevoke(JWT, V1, "inc-99"));
    SecretStoreException untracked = refused(() -> store.unrevoke(JWT, V2, "inc-44"));

    assertThat(other.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(other.getMessage())
        .isEqualTo(
            "version " + V1 + " of jwt was revoked by rotation inc-43, not by rotation inc-99");
    assertThat(untracked.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(untracked.getMessage()).contains("an unrecorded rotation");
    assertThat(labels()).isEqualTo(Map.of(V1, List.of(), V2, List.of(), V3, List.of("AWSCURRENT")));
  }

  // --- staged values ---

  @Test
  void aStagedValue_waitsInItsOwnSecretIsReplacedAndClearedButNeverDescribed() {
    assertThat(store.staged("openai")).isNull();

    store.stage("openai", value("sk-first"));
    store.stage("openai", value("sk-second"));

    assertThat(store.staged("openai")).isEqualTo(value("sk-second"));
    assertNotFound(() -> store.describe("openai"), "openai");
    assertThat(fake.exists("breakglass/staged/openai")).isTrue();

    store.clearStaged("openai");
    store.clearStaged("openai");
    assertThat(store.staged("openai")).isNull();
    store.clearStaged("never-staged");
  }

  // --- never ---

  @Test
  void theWholeContract_neverCallsDeleteSecretAndNothingPrintableHoldsMaterial() {
    promote(V1, "one-very-recognisable-value");
    promote(V2, "two");
    store.revoke(JWT, V1, "r");
    store.unrevoke(JWT, V1, "r");
    store.stage("openai", value("sk-very-recognisable"));
    store.clearStaged("openai");

    assertThat(fake.calls()).extracting(Call::operation).doesNotContain("DeleteSecret");
    assertThat(store.toString()).doesNotContain("recognisable");
    assertThat(store.describe(JWT).toString()).doesNotContain("recognisable");
  }

  // --- helpers ---

  private void promote(String versionId, String text) {
    store.createPending(JWT, versionId, value(text), META);
    store.moveCurrent(JWT, versionId);
  }

  /** Labels per version as AWS holds them; each label on one version at most. */
  private Map<String, List<String>> labels() {
    Map<String, List<String>> labels = fake.labels(JWT_ID);
    SecretState state = store.describe(JWT);
    for (Label label : Label.values()) {
      assertThat(state.versions().stream().filter(v -> v.has(label))).hasSizeLessThanOrEqualTo(1);
    }
    return labels;
  }

  private List<String> operations() {
    return fake.calls().stream().map(Call::operation).toList();
  }

  static byte[] value(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
