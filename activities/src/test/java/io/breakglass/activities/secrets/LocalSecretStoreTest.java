package io.breakglass.activities.secrets;

import static io.breakglass.activities.secrets.StoreRefusals.assertNotFound;
import static io.breakglass.activities.secrets.StoreRefusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.RotationErrors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of {@link SecretStore}, on the local store. */
class LocalSecretStoreTest {

  private static final String JWT = "jwt";
  private static final Map<String, String> META =
      Map.of("rotatedAt", "2026-03-01T09:59:00Z", "rotationId", "inc-42");

  @TempDir Path dir;
  private final TestClock clock = new TestClock();
  private Path file;
  private LocalSecretStore store;

  @BeforeEach
  void openStore() {
    file = dir.resolve("secrets.store");
    store = new LocalSecretStore(file, TestMasterKeys.random(), clock, () -> {});
  }

  // --- createPending ---

  @Test
  void createPending_makesAnActivePendingVersionNumberedOneWithTheCallersMetadata() {
    SecretVersion created = store.createPending(JWT, "v1", value("one"), META);

    assertThat(created.versionId()).isEqualTo("v1");
    assertThat(created.labels()).containsExactly(Label.PENDING);
    assertThat(created.status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(created.metadata())
        .containsEntry("version", "1")
        .containsEntry("rotatedAt", "2026-03-01T09:59:00Z")
        .containsEntry("rotationId", "inc-42");
    assertThat(created.createdAt()).isEqualTo(clock.instant());
    assertThat(created.statusChangedAt()).isNull();
    assertThat(store.describe(JWT).versions()).containsExactly(created);
    assertThat(store.material(JWT, "v1")).isEqualTo(value("one"));
  }

  @Test
  void createPending_numbersVersionsBySequenceWithinTheSecretOverridingTheCallersNumber() {
    promote("v1", "one");
    SecretVersion second =
        store.createPending(JWT, "v2", value("two"), Map.of("version", "99", "rotationId", "r2"));

    assertThat(second.metadata()).containsEntry("version", "2").containsEntry("rotationId", "r2");
    assertThat(store.createPending("other", "x", value("x"), Map.of()).metadata())
        .containsEntry("version", "1");
  }

  @Test
  void createPending_withTheSameIdAndValue_isANoOpReturningTheExistingVersion() throws Exception {
    SecretVersion first = store.createPending(JWT, "v1", value("one"), META);
    byte[] fileBefore = Files.readAllBytes(file);
    clock.advance(Duration.ofMinutes(5));

    SecretVersion retried = store.createPending(JWT, "v1", value("one"), Map.of("rotationId", "x"));

    assertThat(retried).isEqualTo(first);
    assertThat(store.describe(JWT).versions()).hasSize(1);
    assertThat(Files.readAllBytes(file))
        .as("a no-op does not rewrite the file")
        .isEqualTo(fileBefore);
  }

  @Test
  void createPending_retriedAfterPromotion_returnsTheVersionAsItIsNow() {
    promote("v1", "one");

    SecretVersion retried = store.createPending(JWT, "v1", value("one"), META);

    assertThat(retried.labels()).containsExactly(Label.CURRENT);
    assertThat(store.describe(JWT).versions()).hasSize(1);
  }

  @Test
  void createPending_withTheSameIdAndAnotherValue_isAnIdempotencyConflictNamingNoMaterial() {
    store.createPending(JWT, "v1", value("one"), META);

    SecretStoreException e = refused(() -> store.createPending(JWT, "v1", value("other"), META));

    assertThat(e.error()).isEqualTo(RotationErrors.IDEMPOTENCY_CONFLICT);
    assertThat(e.getMessage())
        .contains("v1")
        .contains(JWT)
        .doesNotContain("other")
        .doesNotContain(Base64.getEncoder().encodeToString(value("other")));
    assertThat(store.material(JWT, "v1")).isEqualTo(value("one"));
  }

  @Test
  void createPending_whileAnotherVersionCarriesPending_isStalePendingNamingThatVersion() {
    promote("v1", "one");
    store.createPending(JWT, "v2", value("two"), META);

    SecretStoreException e = refused(() -> store.createPending(JWT, "v3", value("three"), META));

    assertThat(e.error()).isEqualTo(RotationErrors.STALE_PENDING);
    assertThat(e.getMessage()).contains("v2").contains("v3").contains(JWT);
    assertThat(store.describe(JWT).versions())
        .extracting(SecretVersion::versionId)
        .containsExactly("v1", "v2");
  }

  @Test
  void createPending_refusesAnEmptyValueAndASecretNameWithAColon() {
    assertThat(refused(() -> store.createPending(JWT, "v1", new byte[0], META)).error())
        .isEqualTo(RotationErrors.INVALID_REQUEST);
    assertThat(refused(() -> store.createPending("a:b", "v1", value("one"), META)).error())
        .isEqualTo(RotationErrors.INVALID_REQUEST);
  }

  // --- material ---

  @Test
  void material_isCopiedInAndOut() {
    byte[] given = value("one");
    store.createPending(JWT, "v1", given, META);
    Arrays.fill(given, (byte) 0);
    byte[] read = store.material(JWT, "v1");
    Arrays.fill(read, (byte) 0);

    assertThat(store.material(JWT, "v1")).isEqualTo(value("one"));
  }

  @Test
  void anUnknownSecretOrVersion_isVersionNotFoundNamingIt() {
    store.createPending(JWT, "v1", value("one"), META);

    assertNotFound(() -> store.describe("openai"), "openai");
    assertNotFound(() -> store.material("openai", "v1"), "openai");
    assertNotFound(() -> store.material(JWT, "v9"), "v9");
    assertNotFound(() -> store.moveCurrent(JWT, "v9"), "v9");
    assertNotFound(() -> store.moveCurrent("openai", "v1"), "openai");
    assertNotFound(() -> store.revoke(JWT, "v9", "r"), "v9");
    assertNotFound(() -> store.restoreLabels(JWT, "v9", null), "v9");
    assertNotFound(() -> store.restoreLabels(JWT, "v1", "v9"), "v9");
  }

  // --- moveCurrent ---

  @Test
  void moveCurrent_movesPreviousAlongAndTakesPendingOff() {
    promote("v1", "one");
    assertThat(labels()).isEqualTo("v1=[CURRENT]");

    promote("v2", "two");
    assertThat(labels()).isEqualTo("v1=[PREVIOUS] v2=[CURRENT]");

    promote("v3", "three");
    assertThat(labels()).isEqualTo("v1=[] v2=[PREVIOUS] v3=[CURRENT]");
  }

  @Test
  void moveCurrent_onTheCurrentVersion_isANoOp() throws Exception {
    promote("v1", "one");
    promote("v2", "two");
    byte[] before = Files.readAllBytes(file);

    store.moveCurrent(JWT, "v2");

    assertThat(labels()).isEqualTo("v1=[PREVIOUS] v2=[CURRENT]");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void moveCurrent_backToThePreviousVersion_swapsCurrentAndPrevious() {
    promote("v1", "one");
    promote("v2", "two");

    store.moveCurrent(JWT, "v1");

    assertThat(labels()).isEqualTo("v1=[CURRENT] v2=[PREVIOUS]");
  }

  @Test
  void moveCurrent_refusesDiscardedAndRevokedVersions() {
    promote("v1", "one");
    store.createPending(JWT, "v2", value("two"), META);
    store.discard(JWT, "v2");
    promote("v3", "three");
    store.revoke(JWT, "v1", "r3");

    SecretStoreException discarded = refused(() -> store.moveCurrent(JWT, "v2"));
    SecretStoreException revoked = refused(() -> store.moveCurrent(JWT, "v1"));

    assertThat(discarded.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(discarded.getMessage()).isEqualTo("cannot promote the discarded version v2 of jwt");
    assertThat(revoked.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(revoked.getMessage()).isEqualTo("cannot promote the revoked version v1 of jwt");
    assertThat(labels()).isEqualTo("v1=[] v2=[] v3=[CURRENT]");
  }

  // --- restoreLabels ---

  @Test
  void restoreLabels_undoesAPromotionAndIsIdempotent() throws Exception {
    promote("v1", "one");
    promote("v2", "two");
    promote("v3", "three");

    store.restoreLabels(JWT, "v2", "v1");
    assertThat(labels()).isEqualTo("v1=[PREVIOUS] v2=[CURRENT] v3=[]");
    byte[] before = Files.readAllBytes(file);

    store.restoreLabels(JWT, "v2", "v1");
    assertThat(labels()).isEqualTo("v1=[PREVIOUS] v2=[CURRENT] v3=[]");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void restoreLabels_withNoPrevious_leavesPreviousOnNoVersionAndPendingWhereItIs() {
    promote("v1", "one");
    promote("v2", "two");
    store.createPending(JWT, "v3", value("three"), META);

    store.restoreLabels(JWT, "v2", null);

    assertThat(labels()).isEqualTo("v1=[] v2=[CURRENT] v3=[PENDING]");
  }

  @Test
  void restoreLabels_refusesARevokedVersionAndOneVersionForBothLabels() {
    promote("v1", "one");
    promote("v2", "two");
    store.revoke(JWT, "v1", "r2");

    SecretStoreException revoked = refused(() -> store.restoreLabels(JWT, "v1", null));
    SecretStoreException same = refused(() -> store.restoreLabels(JWT, "v2", "v2"));

    assertThat(revoked.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(revoked.getMessage()).contains("v1").contains(JWT);
    assertThat(same.error()).isEqualTo(RotationErrors.INVALID_REQUEST);
    assertThat(labels()).isEqualTo("v1=[] v2=[CURRENT]");
  }

  // --- discard ---

  @Test
  void discard_takesEveryLabelOffAndMarksTheVersionDiscarded() {
    promote("v1", "one");
    store.createPending(JWT, "v2", value("two"), META);
    clock.advance(Duration.ofHours(1));

    store.discard(JWT, "v2");

    SecretVersion v2 = store.describe(JWT).version("v2").orElseThrow();
    assertThat(v2.labels()).isEmpty();
    assertThat(v2.status()).isEqualTo(VersionStatus.DISCARDED);
    assertThat(v2.statusChangedAt()).isEqualTo(clock.instant());
    assertThat(store.material(JWT, "v2")).as("nothing is destroyed").isEqualTo(value("two"));
  }

  @Test
  void discard_isANoOpForAnUnknownSecretOrVersionAndAnAlreadyDiscardedOne() throws Exception {
    store.discard("never-created", "v1");
    assertThat(file).as("a rollback before the create writes nothing").doesNotExist();

    promote("v1", "one");
    store.createPending(JWT, "v2", value("two"), META);
    store.discard(JWT, "v2");
    var discardedAt = store.describe(JWT).version("v2").orElseThrow().statusChangedAt();
    byte[] before = Files.readAllBytes(file);
    clock.advance(Duration.ofHours(1));

    store.discard(JWT, "v2");
    store.discard(JWT, "v9");

    assertThat(store.describe(JWT).version("v2").orElseThrow().statusChangedAt())
        .isEqualTo(discardedAt);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void discard_refusesTheCurrentVersionAndARevokedOne() {
    promote("v1", "one");
    promote("v2", "two");
    store.revoke(JWT, "v1", "r2");

    SecretStoreException current = refused(() -> store.discard(JWT, "v2"));
    SecretStoreException revoked = refused(() -> store.discard(JWT, "v1"));

    assertThat(current.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(current.getMessage()).isEqualTo("cannot discard the current version v2 of jwt");
    assertThat(revoked.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(store.describe(JWT).version("v1").orElseThrow().status())
        .isEqualTo(VersionStatus.REVOKED);
  }

  // --- revoke ---

  @Test
  void revoke_takesEveryLabelOffMarksTheVersionRevokedAndRecordsTheRotation() {
    promote("v1", "one");
    promote("v2", "two");
    clock.advance(Duration.ofDays(1));

    store.revoke(JWT, "v1", "inc-43");

    SecretVersion v1 = store.describe(JWT).version("v1").orElseThrow();
    assertThat(v1.labels()).isEmpty();
    assertThat(v1.status()).isEqualTo(VersionStatus.REVOKED);
    assertThat(v1.statusChangedAt()).isEqualTo(clock.instant());
    assertThat(v1.metadata()).containsEntry("revokedBy", "inc-43").containsEntry("version", "1");
    assertThat(labels()).isEqualTo("v1=[] v2=[CURRENT]");
    assertThat(store.material(JWT, "v1")).as("nothing is destroyed").isEqualTo(value("one"));
  }

  @Test
  void revoke_ofAnAlreadyRevokedVersion_isANoOp() throws Exception {
    promote("v1", "one");
    promote("v2", "two");
    store.revoke(JWT, "v1", "inc-43");
    SecretVersion before = store.describe(JWT).version("v1").orElseThrow();
    clock.advance(Duration.ofDays(1));

    store.revoke(JWT, "v1", "inc-44");

    assertThat(store.describe(JWT).version("v1").orElseThrow()).isEqualTo(before);
  }

  @Test
  void revoke_refusesTheCurrentVersionInTinkStyleAndADiscardedOne() {
    promote("v1", "one");
    store.createPending(JWT, "v2", value("two"), META);
    store.discard(JWT, "v2");

    SecretStoreException current = refused(() -> store.revoke(JWT, "v1", "r"));
    SecretStoreException discarded = refused(() -> store.revoke(JWT, "v2", "r"));

    assertThat(current.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(current.getMessage()).isEqualTo("cannot revoke the current version v1 of jwt");
    assertThat(discarded.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(discarded.getMessage()).isEqualTo("cannot revoke the discarded version v2 of jwt");
    assertThat(labels()).isEqualTo("v1=[CURRENT] v2=[]");
  }

  // --- unrevoke ---

  @Test
  void unrevoke_makesTheVersionActivePreviousAgainRecordsTheRotationAndChangesNothingElse()
      throws Exception {
    promote("v1", "one");
    promote("v2", "two");
    store.revoke(JWT, "v1", "inc-43");
    clock.advance(Duration.ofDays(2));

    store.unrevoke(JWT, "v1", "inc-43");

    SecretVersion v1 = store.describe(JWT).version("v1").orElseThrow();
    assertThat(v1.status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(v1.statusChangedAt()).isEqualTo(clock.instant());
    assertThat(v1.metadata())
        .containsEntry("revokedBy", "inc-43")
        .containsEntry("unrevokedBy", "inc-43");
    assertThat(labels())
        .as("decrypt only: PREVIOUS, never CURRENT")
        .isEqualTo("v1=[PREVIOUS] v2=[CURRENT]");
    assertThat(store.material(JWT, "v1")).isEqualTo(value("one"));

    byte[] before = Files.readAllBytes(file);
    store.unrevoke(JWT, "v1", "inc-43");
    assertThat(Files.readAllBytes(file)).as("a retry changes nothing").isEqualTo(before);
  }

  @Test
  void unrevoke_leavesPreviousWhereItIs_whenAnotherVersionCarriesIt() {
    promote("v1", "one");
    promote("v2", "two");
    store.revoke(JWT, "v1", "inc-43");
    promote("v3", "three");

    store.unrevoke(JWT, "v1", "inc-43");

    assertThat(store.describe(JWT).version("v1").orElseThrow().status())
        .isEqualTo(VersionStatus.ACTIVE);
    assertThat(labels()).isEqualTo("v1=[] v2=[PREVIOUS] v3=[CURRENT]");
  }

  @Test
  void unrevoke_refusesAVersionAnotherRotationRevokedAndADiscardedOne() {
    promote("v1", "one");
    promote("v2", "two");
    store.revoke(JWT, "v1", "inc-43");
    store.createPending(JWT, "v3", value("three"), META);
    store.discard(JWT, "v3");

    SecretStoreException other = refused(() -> store.unrevoke(JWT, "v1", "inc-99"));
    SecretStoreException discarded = refused(() -> store.unrevoke(JWT, "v3", "inc-43"));

    assertThat(other.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(other.getMessage())
        .isEqualTo("version v1 of jwt was revoked by rotation inc-43, not by rotation inc-99");
    assertThat(discarded.error()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(discarded.getMessage())
        .isEqualTo("cannot un-revoke the discarded version v3 of jwt");
    assertThat(store.describe(JWT).version("v1").orElseThrow().status())
        .isEqualTo(VersionStatus.REVOKED);
    assertNotFound(() -> store.unrevoke(JWT, "v9", "inc-43"), "v9");
  }

  @Test
  void aVersionRevokedAgainAfterAnUnrevoke_recordsOnlyTheNewRevoke() {
    promote("v1", "one");
    promote("v2", "two");
    store.revoke(JWT, "v1", "inc-43");
    store.unrevoke(JWT, "v1", "inc-43");

    store.revoke(JWT, "v1", "inc-50");

    SecretVersion v1 = store.describe(JWT).version("v1").orElseThrow();
    assertThat(v1.status()).isEqualTo(VersionStatus.REVOKED);
    assertThat(v1.metadata()).containsEntry("revokedBy", "inc-50").doesNotContainKey("unrevokedBy");
  }

  // --- staged values ---

  @Test
  void aStagedValue_isReadBackReplacedAndClearedButNeverDescribed() {
    assertThat(store.staged("openai")).isNull();

    store.stage("openai", value("sk-first"));
    assertThat(store.staged("openai")).isEqualTo(value("sk-first"));
    assertNotFound(() -> store.describe("openai"), "openai");

    store.stage("openai", value("sk-second"));
    assertThat(store.staged("openai")).isEqualTo(value("sk-second"));

    store.clearStaged("openai");
    store.clearStaged("openai");
    assertThat(store.staged("openai")).isNull();
  }

  @Test
  void aStagedValue_staysOutOfTheVersionsOfAnExistingSecretAndIsCopied() {
    promote("v1", "one");
    byte[] given = value("sk-next");
    store.stage(JWT, given);
    Arrays.fill(given, (byte) 0);
    byte[] read = store.staged(JWT);
    Arrays.fill(read, (byte) 0);

    assertThat(store.describe(JWT).versions())
        .extracting(SecretVersion::versionId)
        .containsExactly("v1");
    assertThat(store.staged(JWT)).isEqualTo(value("sk-next"));
  }

  // --- what is printed ---

  @Test
  void nothingPrintable_holdsMaterial() {
    promote("v1", "one-very-recognisable-value");
    StoredVersion stored =
        new StoredVersion(
            "v1",
            value("one-very-recognisable-value"),
            Set.of(),
            VersionStatus.ACTIVE,
            Map.of(),
            clock.instant(),
            null);

    assertThat(store.toString()).doesNotContain("recognisable");
    assertThat(store.describe(JWT).toString()).doesNotContain("recognisable");
    assertThat(stored.toString()).doesNotContain("recognisable").contains("v1");
  }

  // --- helpers ---

  private void promote(String versionId, String text) {
    store.createPending(JWT, versionId, value(text), META);
    store.moveCurrent(JWT, versionId);
  }

  /** Labels of jwt's versions, e.g. "v1=[PREVIOUS] v2=[CURRENT]"; each label on one at most. */
  private String labels() {
    SecretState state = store.describe(JWT);
    for (Label label : Label.values()) {
      assertThat(state.versions().stream().filter(v -> v.has(label)))
          .as("versions carrying %s", label)
          .hasSizeLessThanOrEqualTo(1);
    }
    StringBuilder text = new StringBuilder();
    state
        .versions()
        .forEach(
            v ->
                text.append(text.length() == 0 ? "" : " ")
                    .append(v.versionId())
                    .append('=')
                    .append(v.labels().stream().sorted().toList()));
    return text.toString();
  }

  private static byte[] value(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
