package io.breakglass.activities.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.VerificationActivities.CheckResult;
import io.breakglass.workflows.activities.VerificationActivities.SmokeReport;
import io.breakglass.workflows.activities.VerificationActivities.SmokeTestRequest;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.SecretKind;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerificationActivitiesImplTest {

  private static final String KEY = "ai-payload-encryption-key";

  @TempDir Path folder;
  private LocalSecretStore store;
  private SnapshotTable table;
  private VerificationActivitiesImpl verification;
  private NewVersion rotated;
  private NewVersion signing;

  @BeforeEach
  void setUp() {
    store = LocalStores.in(folder);
    String old = LocalStores.initialise(store, KEY, 32);
    String oldJwt = LocalStores.initialise(store, "jwt", 64);
    rotated = newVersion(KEY, old, 32);
    signing = newVersion("jwt", oldJwt, 64);
    TestPostgres.Database database = TestPostgres.newDatabase();
    table = new SnapshotTable(database, new StoreKeyring(store));
    table.seed(40, new KeyId(KEY, rotated.versionId()));
    RotationSettings settings =
        new RotationSettings(
            new LocalSecretStoreConfig(folder.resolve("secrets.store"), null, null),
            List.of(new SecretConfig(KEY, SecretKind.DATA_KEY), new SecretConfig("jwt", SecretKind.SIGNING_SECRET)),
            List.of(table.config(KEY, 100, 25)), null, null, new BackupConfig(folder, 0), null);
    verification =
        new VerificationActivitiesImpl(settings, new ProtectedDataSets(settings, Map.of("app", database.dataSource())), store);
  }

  @Test
  void theSmokeTest_passesWhenCanariesRoundTripAndTheNewestRowsAreUnderTheNewKey() {
    SmokeReport report = verification.smokeTest(new SmokeTestRequest("r1", List.of(rotated, signing), List.of("ai-snapshots")));

    assertThat(report.checks()).extracting(CheckResult::name)
        .containsExactly("canary " + KEY, "canary jwt", "newest ai-snapshots");
    assertThat(report.passed()).as(report.toString()).isTrue();
  }

  @Test
  void negativeControl_aRowWrittenUnderTheOldKeyAfterPromotion_failsTheNewestItemsCheck() {
    table.applicationWrite(40, 1, new KeyId(KEY, rotated.replacedVersionId()));

    SmokeReport report = verification.smokeTest(new SmokeTestRequest("r2", List.of(rotated), List.of("ai-snapshots")));

    assertThat(report.passed()).isFalse();
    assertThat(report.checks()).filteredOn(c -> !c.passed()).singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("item 40 is under " + KEY + ":" + rotated.replacedVersionId()));
  }

  @Test
  void negativeControl_aSigningSecretThatDidNotChange_failsItsCanary() {
    NewVersion unchanged = new NewVersion("jwt", signing.replacedVersionId(), signing.replacedVersionId(), null);

    SmokeReport report = verification.smokeTest(new SmokeTestRequest("r3", List.of(unchanged), List.of()));

    assertThat(report.passed()).isFalse();
    assertThat(report.checks().get(0).detail()).contains("the secret did NOT change");
  }

  private NewVersion newVersion(String secret, String replaced, int bytes) {
    String version = VersionIds.forRotation("r1", secret);
    byte[] material = new byte[bytes];
    new SecureRandom().nextBytes(material);
    store.createPending(secret, version, material, Map.of());
    store.moveCurrent(secret, version);
    return new NewVersion(secret, version, replaced, null);
  }
}
