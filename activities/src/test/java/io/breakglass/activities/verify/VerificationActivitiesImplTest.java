package io.breakglass.activities.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretSmokeConfig;
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
  private static final SecretSmokeConfig NO_SERVICE =
      SecretSmokeConfig.allowNoChecks("no service in this test");

  @TempDir Path folder;
  private LocalSecretStore store;
  private TestPostgres.Database database;
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
    database = TestPostgres.newDatabase();
    table = new SnapshotTable(database, new StoreKeyring(store));
    table.seed(40, new KeyId(KEY, rotated.versionId()));
    verification = verification(NO_SERVICE);
  }

  /** Verification over both secrets, whose smoke-test exception is {@code smoke} (null: none). */
  private VerificationActivitiesImpl verification(SecretSmokeConfig smoke) {
    RotationSettings settings =
        new RotationSettings(
            new LocalSecretStoreConfig(folder.resolve("secrets.store"), null, null),
            List.of(
                new SecretConfig(KEY, SecretKind.DATA_KEY).withSmoke(smoke),
                new SecretConfig("jwt", SecretKind.SIGNING_SECRET).withSmoke(smoke)),
            List.of(table.config(KEY, 100, 25)),
            null,
            null,
            new BackupConfig(folder, 0),
            null);
    return new VerificationActivitiesImpl(
        settings, new ProtectedDataSets(settings, Map.of("app", database.dataSource())), store);
  }

  @Test
  void theSmokeTest_passesWhenCanariesRoundTripAndTheNewestRowsAreUnderTheNewKey() {
    SmokeReport report =
        verification.smokeTest(
            new SmokeTestRequest("r1", List.of(rotated, signing), List.of("ai-snapshots")));

    assertThat(report.checks())
        .extracting(CheckResult::name)
        .containsExactly(
            "canary " + KEY,
            "canary jwt",
            "newest ai-snapshots",
            "coverage " + KEY,
            "coverage jwt");
    assertThat(report.passed()).as(report.toString()).isTrue();
  }

  @Test
  void aSecretNoSmokeCheckCovers_failsTheSmokeTest_namingIt_evenIfPlanWasSkipped() {
    SmokeReport report =
        verification(null)
            .smokeTest(
                new SmokeTestRequest("r4", List.of(rotated, signing), List.of("ai-snapshots")));

    assertThat(report.passed()).isFalse();
    assertThat(report.checks())
        .filteredOn(c -> !c.passed())
        .extracting(CheckResult::name, CheckResult::detail)
        .containsExactly(
            tuple(
                "coverage " + KEY,
                "no smoke check configured for "
                    + KEY
                    + ", and its configuration does not allow that (smoke.allowNoChecks)"),
            tuple(
                "coverage jwt",
                "no smoke check configured for jwt, and its configuration does not allow that"
                    + " (smoke.allowNoChecks)"));
  }

  @Test
  void aSecretAllowedWithoutSmokeChecks_passes_andTheReportSaysSoWithTheReason() {
    SmokeReport report =
        verification.smokeTest(new SmokeTestRequest("r5", List.of(signing), List.of()));

    assertThat(report.passed()).isTrue();
    assertThat(report.checks())
        .filteredOn(c -> c.name().equals("coverage jwt"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.detail())
                    .isEqualTo(
                        "no smoke check configured for jwt: allowed by configuration (no service in this test)"));
  }

  @Test
  void negativeControl_aRowWrittenUnderTheOldKeyAfterPromotion_failsTheNewestItemsCheck() {
    table.applicationWrite(40, 1, new KeyId(KEY, rotated.replacedVersionId()));

    SmokeReport report =
        verification.smokeTest(
            new SmokeTestRequest("r2", List.of(rotated), List.of("ai-snapshots")));

    assertThat(report.passed()).isFalse();
    assertThat(report.checks())
        .filteredOn(c -> !c.passed())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.detail())
                    .contains("item 40 is under " + KEY + ":" + rotated.replacedVersionId()));
  }

  @Test
  void negativeControl_aSigningSecretThatDidNotChange_failsItsCanary() {
    NewVersion unchanged =
        new NewVersion("jwt", signing.replacedVersionId(), signing.replacedVersionId(), null);

    SmokeReport report =
        verification.smokeTest(new SmokeTestRequest("r3", List.of(unchanged), List.of()));

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
