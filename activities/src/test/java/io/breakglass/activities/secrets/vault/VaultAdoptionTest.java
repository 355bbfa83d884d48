package io.breakglass.activities.secrets.vault;

import static io.breakglass.activities.secrets.StoreRefusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.ApprovalsConfig;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretEncoding;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.secrets.AdoptedVersion;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.RoutedSecretStore;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.testing.FakeVault;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.SecretKind;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code adopt} of a key another tool wrote into Vault KV v2 ({@code vault kv put ... key=<base64>
 * owner=notes-team}), read through the secret's {@code encoding: JSON_FIELD, jsonField: key}: the
 * version is recorded as Breakglass's first in {@code custom_metadata} alone, and the next version
 * is written in the same form, the application's other field kept.
 */
class VaultAdoptionTest {

  static final String SECRET = "notes-key";
  static final String PATH = "notes/notes-key";
  static final Instant NOW = Instant.parse("2026-11-28T03:00:00Z");
  static final String NEXT = "00000000-0000-4000-8000-000000000002";

  @TempDir Path dir;
  private FakeVault fake;
  private byte[] key;

  @BeforeEach
  void theTeamsKey() {
    fake = FakeVault.start();
    key = new byte[32];
    new SecureRandom().nextBytes(key);
    fake.put(PATH, Map.of("key", Base64.getEncoder().encodeToString(key), "owner", "notes-team"));
    fake.clearCalls();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void adopt_recordsTheVersionInCustomMetadataOnly_pinsCurrent_andWritesNoVersion() {
    SecretStore store = store(SecretEncoding.JSON_FIELD, "key");

    AdoptedVersion adopted = AdoptedVersion.find(store, SECRET);
    assertThat(store.material(SECRET, adopted.versionId()))
        .as("the key's 32 bytes from its field")
        .isEqualTo(key);
    adopted.record(store, NOW);

    SecretVersion version = store.describe(SECRET).versions().get(0);
    assertThat(version.versionId()).isEqualTo("1");
    assertThat(version.labels()).containsExactly(Label.CURRENT);
    assertThat(version.metadata())
        .containsEntry("version", "1")
        .containsEntry("rotationId", "adopted")
        .containsEntry("adoptedAt", NOW.toString())
        .containsKey("rotatedAt");
    assertThat(fake.customMetadata(PATH))
        .containsEntry("breakglass.current", "1")
        .containsEntry("version", "1")
        .containsKey("rotatedAt");
    assertThat(fake.currentVersion(PATH)).as("no version written").isEqualTo(1);
    assertThat(fake.calls())
        .extracting(c -> c.method() + " " + c.path())
        .doesNotContain("POST secret/data/" + PATH)
        .contains("POST secret/metadata/" + PATH);

    fake.clearCalls();
    AdoptedVersion again = AdoptedVersion.find(store, SECRET);
    again.record(store, NOW.plusSeconds(60));
    assertThat(again.recorded()).isTrue();
    assertThat(fake.calls())
        .as("adopting again records nothing")
        .extracting(c -> c.method())
        .containsOnly("GET");
  }

  @Test
  void theNextVersion_isWrittenInTheSameJsonForm_keepingTheApplicationsOtherField() {
    SecretStore store = store(SecretEncoding.JSON_FIELD, "key");
    AdoptedVersion.find(store, SECRET).record(store, NOW);
    byte[] next = new byte[32];
    new SecureRandom().nextBytes(next);

    store.createPending(SECRET, NEXT, next, Map.of("rotationId", "inc-1"));
    store.createPending(
        SECRET, NEXT, next, Map.of("rotationId", "inc-1")); // a retry: the same value
    store.moveCurrent(SECRET, NEXT);

    assertThat(fake.currentVersion(PATH)).isEqualTo(2);
    assertThat(fake.data(PATH, 2))
        .isEqualTo(
            Map.of(
                "key",
                Base64.getEncoder().encodeToString(next),
                "owner",
                "notes-team",
                "breakglass_version_id",
                NEXT));
    assertThat(store.material(SECRET, NEXT)).isEqualTo(next);
    assertThat(store.describe(SECRET).labelled(Label.PREVIOUS).orElseThrow().versionId())
        .isEqualTo("1");
  }

  @Test
  void aBase64Value_isReadAsItsText_andTheNextVersionIsBase64TextAgain_notEncodedTwice() {
    fake.put(PATH, Map.of("value", Base64.getEncoder().encodeToString(key)));
    SecretStore store = store(SecretEncoding.BASE64, null);
    AdoptedVersion.find(store, SECRET).record(store, NOW);
    byte[] next = new byte[32];
    new SecureRandom().nextBytes(next);

    assertThat(store.material(SECRET, "2")).isEqualTo(key);
    store.createPending(SECRET, NEXT, next, Map.of());
    assertThat(fake.data(PATH, 3)).containsEntry("value", Base64.getEncoder().encodeToString(next));
  }

  @Test
  void
      negativeControl_theWrongField_isRefusedNamingItNeverTheValue_andNothingIsRecordedOnARefusal() {
    SecretStore wrongField = store(SecretEncoding.JSON_FIELD, "value");

    SecretStoreException refusal = refused(() -> wrongField.material(SECRET, "1"));

    assertThat(refusal.error()).isEqualTo(RotationErrors.INVALID_CONFIGURATION);
    assertThat(refusal.getMessage())
        .contains("field value")
        .doesNotContain(Base64.getEncoder().encodeToString(key));
    SecretStore store = store(SecretEncoding.JSON_FIELD, "key");
    assertThat(refused(() -> store.annotate(SECRET, "1", Map.of("status", "ACTIVE"))).error())
        .as("the record's own keys are not metadata")
        .isEqualTo(RotationErrors.INVALID_REQUEST);
    assertThat(refused(() -> store.annotate(SECRET, "7", Map.of("version", "1"))).error())
        .isEqualTo(RotationErrors.VERSION_NOT_FOUND);
    assertThat(fake.customMetadata(PATH)).as("nothing recorded").isEmpty();
  }

  private SecretStore store(SecretEncoding encoding, String jsonField) {
    SecretConfig secret =
        new SecretConfig(SECRET, SecretKind.DATA_KEY, SecretStoreType.VAULT, null, null)
            .withEncoding(encoding, jsonField);
    RotationSettings settings =
        new RotationSettings(
            null,
            List.of(secret),
            null,
            null,
            null,
            new BackupConfig(dir.resolve("backups"), 0),
            null,
            null,
            null,
            null,
            ApprovalsConfig.unsignedForDevelopment(),
            fake.config(dir.resolve("token"), Map.of(SECRET, PATH)));
    return RoutedSecretStore.of(
        settings,
        () -> null,
        () -> null,
        () ->
            new VaultKvStore(
                settings.vault(),
                settings.secrets(),
                Clock.fixed(NOW, ZoneOffset.UTC),
                name -> null));
  }
}
