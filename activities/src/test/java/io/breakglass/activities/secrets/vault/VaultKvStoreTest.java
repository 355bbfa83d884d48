package io.breakglass.activities.secrets.vault;

import static io.breakglass.activities.secrets.StoreRefusals.assertNotFound;
import static io.breakglass.activities.secrets.StoreRefusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.config.VaultConfig;
import io.breakglass.activities.secrets.FirstVersion;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.activities.testing.FakeVault;
import io.breakglass.activities.testing.FakeVault.Call;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of {@code SecretStore} on Vault KV v2 (the fake speaks its API), and the calls made.
 */
class VaultKvStoreTest {

  static final String JWT = "jwt";
  static final String JWT_PATH = "prod/jwt";
  static final String V2 = "00000000-0000-4000-8000-000000000002";
  static final String V3 = "00000000-0000-4000-8000-000000000003";
  static final Map<String, String> META =
      Map.of("rotatedAt", "2026-03-01T09:59:00Z", "rotationId", "inc-42");
  static final Instant NOW = Instant.parse("2026-11-28T03:00:00Z");

  @TempDir Path dir;
  private FakeVault fake;
  private VaultKvStore store;
  private String initial;

  @BeforeEach
  void start() {
    fake = FakeVault.start();
    store =
        store(fake.config(dir.resolve("token"), Map.of(JWT, JWT_PATH, "openai", "prod/openai")));
    initial = FirstVersion.ensure(store, JWT, () -> value("one"));
    fake.clearCalls();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  static VaultKvStore store(VaultConfig config) {
    return new VaultKvStore(
        config,
        List.of(
            new SecretConfig(JWT, SecretKind.SIGNING_SECRET, SecretStoreType.VAULT, null, null),
            new SecretConfig("openai", SecretKind.API_KEY, SecretStoreType.VAULT, null, null)),
        Clock.fixed(NOW, ZoneOffset.UTC),
        name -> null);
  }

  @Test
  void theFirstVersion_isVaultVersionOne_current_withItsValueInBase64AndItsIdBesideIt() {
    SecretVersion first = store.describe(JWT).versions().get(0);

    assertThat(first.versionId()).isEqualTo(initial);
    assertThat(first.labels()).containsExactly(Label.CURRENT);
    assertThat(first.metadata())
        .containsEntry("version", "1")
        .containsEntry("rotationId", "initial");
    assertThat(fake.data(JWT_PATH, 1))
        .isEqualTo(
            Map.of(
                "value",
                Base64.getEncoder().encodeToString(value("one")),
                "breakglass_version_id",
                initial));
    assertThat(fake.customMetadata(JWT_PATH))
        .containsEntry("breakglass.current", "1")
        .containsEntry("version", "1")
        .doesNotContainKey("breakglass.claim");
    assertThat(store.material(JWT, initial)).isEqualTo(value("one"));
  }

  @Test
  void createPending_writesWithCheckAndSetOnTheVersionItRead_andRecordsThePendingLabel() {
    SecretVersion created = store.createPending(JWT, V2, value("two"), META);

    assertThat(created.labels()).containsExactly(Label.PENDING);
    assertThat(created.metadata())
        .containsEntry("version", "2")
        .containsEntry("rotationId", "inc-42")
        .containsEntry("rotatedAt", "2026-03-01T09:59:00Z");
    assertThat(fake.currentVersion(JWT_PATH)).isEqualTo(2);
    assertThat(fake.customMetadata(JWT_PATH))
        .containsEntry("breakglass.pending", "2")
        .containsEntry("breakglass.current", "1");
    assertThat(calls())
        .containsExactly(
            "GET secret/metadata/prod/jwt",
            "POST secret/metadata/prod/jwt", // the claim
            "POST secret/data/prod/jwt", // cas 1
            "POST secret/metadata/prod/jwt", // the record and PENDING
            "GET secret/metadata/prod/jwt");
  }

  @Test
  void
      createPending_whenAnotherWriterWroteMeanwhile_isRefusedByCheckAndSet_rereadsAndWritesTheNextVersion() {
    fake.beforeNextDataWrite(path -> fake.put(path, Map.of("value", "b3RoZXI=")));

    SecretVersion created = store.createPending(JWT, V2, value("two"), META);

    assertThat(created.labels()).containsExactly(Label.PENDING);
    assertThat(fake.currentVersion(JWT_PATH))
        .as("the other writer's version 2, then ours")
        .isEqualTo(3);
    assertThat(fake.customMetadata(JWT_PATH)).containsEntry("breakglass.pending", "3");
    assertThat(store.material(JWT, V2)).isEqualTo(value("two"));
    assertThat(store.describe(JWT).version("2").orElseThrow().labels())
        .as("the other tool's version")
        .isEmpty();
    assertThat(calls()).filteredOn("POST secret/data/prod/jwt"::equals).hasSize(2);
  }

  @Test
  void
      negativeControl_aWriterThatNeverStops_exhaustsTheAttemptsAsAStoreOutage_andNothingIsLabelled() {
    Consumer<String>[] writer = new Consumer[1];
    writer[0] =
        path -> {
          fake.put(path, Map.of("value", "b3RoZXI="));
          fake.beforeNextDataWrite(writer[0]);
        };
    fake.beforeNextDataWrite(writer[0]);

    SecretStoreException refused = refused(() -> store.createPending(JWT, V2, value("two"), META));
    fake.beforeNextDataWrite(null);

    assertThat(refused.error()).isEqualTo(RotationErrors.SECRET_STORE_UNAVAILABLE);
    assertThat(refused.getMessage()).contains("check-and-set").contains(V2);
    assertThat(calls())
        .filteredOn("POST secret/data/prod/jwt"::equals)
        .hasSize(VaultKvStore.CAS_ATTEMPTS);
    assertThat(fake.customMetadata(JWT_PATH)).doesNotContainKey("breakglass.pending");
  }

  @Test
  void aVersionWrittenBeforeACrash_isRecognisedByItsClaimAndMarker_andTheRetryWritesNothing() {
    // What a crash between the data write and its record leaves: the claim, and the version.
    Map<String, String> custom = new java.util.LinkedHashMap<>(fake.customMetadata(JWT_PATH));
    custom.put("breakglass.claim", "id=" + V2 + " rotationId=inc-42 version=2");
    writeCustom(custom);
    fake.put(
        JWT_PATH,
        Map.of(
            "value",
            Base64.getEncoder().encodeToString(value("two")),
            "breakglass_version_id",
            V2));
    fake.clearCalls();

    SecretVersion found = store.describe(JWT).version(V2).orElseThrow();
    SecretVersion retried = store.createPending(JWT, V2, value("two"), META);

    assertThat(found.labels()).containsExactly(Label.PENDING);
    assertThat(found.metadata()).containsEntry("rotationId", "inc-42");
    assertThat(retried.versionId()).isEqualTo(V2);
    assertThat(calls()).doesNotContain("POST secret/data/prod/jwt");
    assertThat(fake.currentVersion(JWT_PATH)).isEqualTo(2);
  }

  @Test
  void negativeControl_aVersionWithoutTheClaimedMarker_isNotTakenForTheClaimedOne() {
    Map<String, String> custom = new java.util.LinkedHashMap<>(fake.customMetadata(JWT_PATH));
    custom.put("breakglass.claim", "id=" + V2 + " rotationId=inc-42 version=2");
    writeCustom(custom);
    fake.put(JWT_PATH, Map.of("value", "b3RoZXI="));

    assertThat(store.describe(JWT).version(V2)).isEmpty();
    assertThat(store.describe(JWT).version("2").orElseThrow().labels()).isEmpty();
  }

  @Test
  void promoteRevokeAndBack_moveTheLabelsInMetadata_softDeleteTheRevokedVersion_andNeverDestroy() {
    store.createPending(JWT, V2, value("two"), META);
    store.moveCurrent(JWT, V2);

    assertThat(store.describe(JWT).version(initial).orElseThrow().labels())
        .containsExactly(Label.PREVIOUS);
    assertThat(fake.customMetadata(JWT_PATH))
        .containsEntry("breakglass.current", "2")
        .containsEntry("breakglass.previous", "1")
        .doesNotContainKey("breakglass.pending")
        .containsEntry("rotatedAt", "2026-03-01T09:59:00Z")
        .containsEntry("version", "2");

    store.revoke(JWT, initial, "inc-42");
    SecretVersion revoked = store.describe(JWT).version(initial).orElseThrow();
    assertThat(revoked.status()).isEqualTo(VersionStatus.REVOKED);
    assertThat(revoked.labels()).isEmpty();
    assertThat(revoked.metadata()).containsEntry("revokedBy", "inc-42");
    assertThat(revoked.statusChangedAt()).isEqualTo(NOW);
    assertThat(fake.deleted(JWT_PATH, 1)).as("soft-deleted: Vault returns it to no one").isTrue();
    assertNotFound(() -> store.material(JWT, initial), initial);
    store.revoke(JWT, initial, "inc-42"); // a retry is a no-op

    store.unrevoke(JWT, initial, "inc-42");
    SecretVersion back = store.describe(JWT).version(initial).orElseThrow();
    assertThat(back.status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(back.labels()).containsExactly(Label.PREVIOUS);
    assertThat(back.metadata()).containsEntry("unrevokedBy", "inc-42");
    assertThat(fake.deleted(JWT_PATH, 1)).isFalse();
    assertThat(store.material(JWT, initial)).isEqualTo(value("one"));

    assertThat(fake.calls()).extracting(Call::path).noneMatch(p -> p.contains("/destroy/"));
    assertThat(fake.calls())
        .extracting(Call::path)
        .anyMatch(p -> p.equals("secret/delete/prod/jwt"));
  }

  @Test
  void theLifecycleRules_holdAsOnTheOtherStores() {
    store.createPending(JWT, V2, value("two"), META);

    assertThat(store.createPending(JWT, V2, value("two"), META).labels())
        .containsExactly(Label.PENDING);
    assertThat(refused(() -> store.createPending(JWT, V2, value("other"), META)).error())
        .isEqualTo(RotationErrors.IDEMPOTENCY_CONFLICT);
    assertThat(refused(() -> store.createPending(JWT, V3, value("three"), META)).error())
        .isEqualTo(RotationErrors.STALE_PENDING);
    assertThat(refused(() -> store.revoke(JWT, initial, "r")).error())
        .isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);

    store.discard(JWT, V2);
    assertThat(store.describe(JWT).version(V2).orElseThrow().status())
        .isEqualTo(VersionStatus.DISCARDED);
    assertThat(refused(() -> store.moveCurrent(JWT, V2)).error())
        .isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    assertThat(refused(() -> store.unrevoke(JWT, V2, "r")).error())
        .isEqualTo(RotationErrors.ILLEGAL_KEY_STATE);
    store.discard(JWT, "no-such-version");

    SecretVersion third = store.createPending(JWT, V3, value("three"), META);
    assertThat(third.metadata()).containsEntry("version", "3");
    store.moveCurrent(JWT, V3);
    store.restoreLabels(JWT, initial, null);
    assertThat(store.describe(JWT).labelled(Label.CURRENT).orElseThrow().versionId())
        .isEqualTo(initial);
    assertThat(store.describe(JWT).labelled(Label.PREVIOUS)).isEmpty();
    assertNotFound(() -> store.describe("unknown"), "unknown");
  }

  @Test
  void anAdoptedSecret_readsItsLatestVersionAsCurrent_untilBreakglassPinsIt() {
    fake.put("prod/openai", Map.of("value", "sk-old"));
    fake.put("prod/openai", Map.of("value", "sk-team"));

    assertThat(store.describe("openai").labelled(Label.CURRENT).orElseThrow().versionId())
        .isEqualTo("2");
    assertThat(store.material("openai", "2")).isEqualTo("sk-team".getBytes(StandardCharsets.UTF_8));

    store.createPending("openai", V2, "sk-new".getBytes(StandardCharsets.UTF_8), META);

    assertThat(store.describe("openai").labelled(Label.CURRENT).orElseThrow().versionId())
        .as("the new latest version is PENDING, not CURRENT")
        .isEqualTo("2");
    assertThat(fake.data("prod/openai", 3)).containsEntry("value", "sk-new");
    assertThat(fake.customMetadata("prod/openai")).containsEntry("breakglass.current", "2");
  }

  @Test
  void stagedValues_waitBesideTheSecret_andClearingSoftDeletesThem() {
    store.stage("openai", "sk-staged".getBytes(StandardCharsets.UTF_8));

    assertThat(store.staged("openai")).isEqualTo("sk-staged".getBytes(StandardCharsets.UTF_8));
    store.clearStaged("openai");
    assertThat(store.staged("openai")).isNull();
    assertThat(fake.data("breakglass/staged/openai", 1)).containsEntry("value", "sk-staged");
    assertThat(store.staged("never")).isNull();
  }

  @Test
  void withoutAToken_orWithOneVaultRefuses_itIsAConfigurationErrorThatNeverShowsTheToken() {
    VaultConfig config = fake.config(dir.resolve("token"), Map.of(JWT, JWT_PATH));
    VaultKvStore noToken =
        store(new VaultConfig(config.address(), "secret", null, "NO_SUCH_VAR", null, Map.of()));
    VaultKvStore badToken =
        new VaultKvStore(
            new VaultConfig(config.address(), "secret", null, "T", null, Map.of()),
            List.of(),
            Clock.systemUTC(),
            name -> "hvs.wrong-token");

    SecretStoreException missing = refused(() -> noToken.describe(JWT));
    SecretStoreException denied = refused(() -> badToken.describe(JWT));

    assertThat(missing.error()).isEqualTo(RotationErrors.INVALID_CONFIGURATION);
    assertThat(missing.getMessage()).contains("NO_SUCH_VAR");
    assertThat(denied.error()).isEqualTo(RotationErrors.INVALID_CONFIGURATION);
    assertThat(denied.getMessage())
        .contains("403")
        .contains("permission denied")
        .doesNotContain("hvs.");
    assertThat(noToken.toString() + badToken + store).doesNotContain("hvs.");
  }

  private void writeCustom(Map<String, String> custom) {
    new VaultKvCalls(
            fake.address(),
            FakeVault.MOUNT,
            null,
            new VaultToken("T", null, name -> FakeVault.TOKEN))
        .writeCustomMetadata(JWT_PATH, custom);
  }

  private List<String> calls() {
    return fake.calls().stream().map(c -> c.method() + " " + c.path()).toList();
  }

  static byte[] value(String text) {
    byte[] bytes = new byte[32];
    byte[] source = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(source, 0, bytes, 0, source.length);
    return bytes;
  }
}
