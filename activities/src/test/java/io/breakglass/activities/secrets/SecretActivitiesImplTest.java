package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.SecretActivities.VersionRequest;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.SecretKind;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretActivitiesImplTest {

  @TempDir Path folder;
  private LocalSecretStore store;
  private SecretActivitiesImpl activities;
  private String initial;

  @BeforeEach
  void setUp() {
    store = LocalStores.in(folder);
    initial = LocalStores.initialise(store, "artifact-encryption-key", 32);
    LocalStores.initialise(store, "openai", 16);
    RotationSettings settings =
        new RotationSettings(
            new LocalSecretStoreConfig(folder.resolve("secrets.store"), null, null),
            List.of(
                new SecretConfig("artifact-encryption-key", SecretKind.DATA_KEY),
                new SecretConfig("openai", SecretKind.API_KEY)),
            null,
            null,
            null,
            new BackupConfig(folder, 0),
            null);
    activities =
        new SecretActivitiesImpl(
            settings, store, Clock.fixed(Instant.parse("2026-11-28T03:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void createVersion_isPendingWithMetadata_andARetryCreatesNothingNew() {
    VersionRequest request = new VersionRequest("r1", "artifact-encryption-key", null);

    NewVersion first = activities.createVersion(request);
    byte[] material = store.material("artifact-encryption-key", first.versionId());
    NewVersion retried = activities.createVersion(request);

    assertThat(first).isEqualTo(retried);
    assertThat(first.versionId())
        .isEqualTo(VersionIds.forRotation("r1", "artifact-encryption-key"));
    assertThat(first.replacedVersionId()).isEqualTo(initial);
    assertThat(store.material("artifact-encryption-key", first.versionId())).isEqualTo(material);
    SecretVersion version =
        store.describe("artifact-encryption-key").version(first.versionId()).orElseThrow();
    assertThat(version.labels()).containsExactly(Label.PENDING);
    assertThat(version.metadata())
        .containsEntry("rotatedAt", "2026-11-28T03:00:00Z")
        .containsEntry("rotationId", "r1")
        .containsEntry("version", "2");
    assertThat(material).hasSize(32);
  }

  @Test
  void anApiKey_needsAnOperatorSuppliedValue_andUsesItOnce() {
    VersionRequest request = new VersionRequest("r2", "openai", null);
    ApplicationFailure missing =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.createVersion(request));
    store.stage("openai", "sk-test-new-value".getBytes(StandardCharsets.US_ASCII));

    NewVersion created = activities.createVersion(request);

    assertThat(missing.getType()).isEqualTo(RotationErrors.OPERATOR_VALUE_MISSING.name());
    assertThat(new String(store.material("openai", created.versionId()), StandardCharsets.US_ASCII))
        .isEqualTo("sk-test-new-value");
    assertThat(store.staged("openai")).as("the staged value is used once").isNull();
  }

  @Test
  void anApiKeyWithACheck_isCreatedOnlyOnceTheProviderAcceptsIt_andARefusedValueStaysStaged()
      throws Exception {
    HttpServer provider =
        OperatorValueProbeTest.acceptingOnly(OperatorValueProbeTest.GOOD, new ArrayList<>());
    try {
      RotationSettings checked =
          new RotationSettings(
              new LocalSecretStoreConfig(folder.resolve("secrets.store"), null, null),
              List.of(
                  new SecretConfig(
                      "openai",
                      SecretKind.API_KEY,
                      null,
                      null,
                      OperatorValueProbeTest.check(provider))),
              null,
              null,
              null,
              new BackupConfig(folder, 0),
              null);
      SecretActivitiesImpl withCheck = new SecretActivitiesImpl(checked, store, Clock.systemUTC());
      VersionRequest request = new VersionRequest("r5", "openai", null);
      store.stage("openai", OperatorValueProbeTest.BAD.getBytes(StandardCharsets.US_ASCII));

      ApplicationFailure refused =
          catchThrowableOfType(ApplicationFailure.class, () -> withCheck.createVersion(request));
      int versionsAfterRefusal = store.describe("openai").versions().size();
      byte[] stillStaged = store.staged("openai");
      store.stage("openai", OperatorValueProbeTest.GOOD.getBytes(StandardCharsets.US_ASCII));
      NewVersion created = withCheck.createVersion(request);

      assertThat(refused.getType()).isEqualTo(RotationErrors.OPERATOR_VALUE_REFUSED.name());
      assertThat(refused.getOriginalMessage()).doesNotContain(OperatorValueProbeTest.BAD);
      assertThat(versionsAfterRefusal).as("nothing is created from a refused value").isEqualTo(1);
      assertThat(stillStaged)
          .asString(StandardCharsets.US_ASCII)
          .isEqualTo(OperatorValueProbeTest.BAD);
      assertThat(store.material("openai", created.versionId()))
          .asString(StandardCharsets.US_ASCII)
          .isEqualTo(OperatorValueProbeTest.GOOD);
    } finally {
      provider.stop(0);
    }
  }

  @Test
  void promoteThenRestoreLabels_putsCurrentAndPreviousBack() {
    NewVersion created =
        activities.createVersion(new VersionRequest("r3", "artifact-encryption-key", null));
    activities.promote(new VersionRequest("r3", "artifact-encryption-key", created.versionId()));
    SecretState promoted = store.describe("artifact-encryption-key");

    activities.restoreLabels(created);
    activities.discardVersion(
        new VersionRequest("r3", "artifact-encryption-key", created.versionId()));
    SecretState restored = store.describe("artifact-encryption-key");

    assertThat(promoted.labelled(Label.CURRENT).orElseThrow().versionId())
        .isEqualTo(created.versionId());
    assertThat(promoted.labelled(Label.PREVIOUS).orElseThrow().versionId()).isEqualTo(initial);
    assertThat(restored.labelled(Label.CURRENT).orElseThrow().versionId()).isEqualTo(initial);
    assertThat(restored.labelled(Label.PREVIOUS)).isEmpty();
    assertThat(restored.version(created.versionId()).orElseThrow().status())
        .isEqualTo(VersionStatus.DISCARDED);
  }

  @Test
  void revokingTheCurrentVersion_isRefusedWithItsId() {
    ApplicationFailure refused =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.revoke(new VersionRequest("r4", "artifact-encryption-key", initial)));

    assertThat(refused.getType()).isEqualTo(RotationErrors.ILLEGAL_KEY_STATE.name());
    assertThat(refused.getOriginalMessage()).contains(initial);
    assertThat(refused.isNonRetryable()).isTrue();
  }
}
