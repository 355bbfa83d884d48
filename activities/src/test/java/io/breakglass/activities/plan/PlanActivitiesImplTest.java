package io.breakglass.activities.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.PolicyConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretSmokeConfig;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.FirstVersion;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.PlanActivities.PlanRequest;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.LeftoverVersion;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationPlan;
import io.breakglass.workflows.messages.values.SecretKind;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanActivitiesImplTest {

  private static final String KEY = "ai-payload-encryption-key";

  @TempDir Path folder;
  private LocalSecretStore store;
  private TestPostgres.Database database;
  private SnapshotTable table;
  private PlanActivitiesImpl planner;
  private String current;

  @BeforeEach
  void setUp() {
    store = LocalStores.in(folder);
    current = LocalStores.initialise(store, KEY, 32);
    LocalStores.initialise(store, "jwt", 64);
    database = TestPostgres.newDatabase();
    table = new SnapshotTable(database, new StoreKeyring(store));
    table.seed(250, new KeyId(KEY, current));
    planner = planner(new PolicyConfig(1, 2, 2, Duration.ofHours(2), null, null, null, null, null));
  }

  private PlanActivitiesImpl planner(PolicyConfig policy) {
    RotationSettings settings =
        new RotationSettings(
            new LocalSecretStoreConfig(folder.resolve("secrets.store"), null, null),
            List.of(
                new SecretConfig(KEY, SecretKind.DATA_KEY)
                    .withSmoke(SecretSmokeConfig.allowNoChecks("no service")),
                new SecretConfig("jwt", SecretKind.SIGNING_SECRET)),
            List.of(table.config(KEY, 100, 25)),
            List.of(
                new DeploymentConfig(
                    "backend",
                    DeploymentTargetType.MANUAL,
                    List.of(KEY, "jwt"),
                    folder.resolve("k.json"))),
            policy,
            new BackupConfig(folder, 0),
            null);
    return new PlanActivitiesImpl(
        settings,
        store,
        new ProtectedDataSets(settings, Map.of("app", database.dataSource())),
        "no metrics");
  }

  @Test
  void aPlan_countsItemsSplitsShardsAndNamesTheDeploymentsThatReadTheSecret() {
    RotationPlan plan =
        planner.plan(new PlanRequest("r1", List.of(KEY), RotationKind.ROUTINE, null, null));

    assertThat(plan.secret(KEY).currentVersionId()).isEqualTo(current);
    assertThat(plan.dataSets())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.itemCount()).isEqualTo(250);
              assertThat(d.layout().shardCount()).isEqualTo(3);
              assertThat(d.layout().shard(0).fromKey()).isNull();
              assertThat(d.layout().shard(2).toKey()).isNull();
            });
    assertThat(plan.deployments())
        .singleElement()
        .satisfies(d -> assertThat(d.secrets()).containsExactly(KEY));
    assertThat(plan.policy().requiredApprovals()).isEqualTo(2);
    assertThat(plan.policy().gateTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(plan.metricWatchSkipReason()).isEqualTo("no metrics");
  }

  @Test
  void aPlan_listsEveryUsableVersionThatIsNeitherCurrentNorPrevious_asLeftovers() {
    // Two rotations completed without revoking (v1 lost PREVIOUS, still usable), then one
    // interrupted after CREATE_VERSION (v4 still PENDING).
    String v1 = current;
    newCurrent("v2", "r-2");
    newCurrent("v3", "r-3");
    store.createPending(KEY, "v4", material(), Map.of("rotationId", "r-interrupted"));

    RotationPlan plan =
        planner.plan(new PlanRequest("r5", List.of(KEY), RotationKind.ROUTINE, null, null));

    assertThat(plan.secret(KEY).currentVersionId()).isEqualTo("v3");
    assertThat(plan.secret(KEY).previousVersionId()).isEqualTo("v2");
    assertThat(plan.secret(KEY).leftovers())
        .extracting(LeftoverVersion::describe)
        .containsExactlyInAnyOrder(
            v1 + " (usable, no label, made by rotation " + FirstVersion.ROTATION_ID + ")",
            "v4 (PENDING, made by rotation r-interrupted)");
    store.revoke(KEY, v1, "r-human");
    assertThat(
            planner
                .plan(new PlanRequest("r6", List.of(KEY), RotationKind.ROUTINE, null, null))
                .secret(KEY)
                .leftovers())
        .as("negative control: a revoked version is no leftover")
        .extracting(LeftoverVersion::versionId)
        .containsExactly("v4");
  }

  private void newCurrent(String versionId, String rotationId) {
    store.createPending(KEY, versionId, material(), Map.of("rotationId", rotationId));
    store.moveCurrent(KEY, versionId);
  }

  private static byte[] material() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return key;
  }

  @Test
  void aRequestMayRaiseTheApprovals_butNeverBelowTheConfiguredMinimum() {
    RotationPlan raised =
        planner.plan(
            new PlanRequest("r2", List.of(KEY), RotationKind.EMERGENCY, 3, Duration.ofMinutes(30)));
    ApplicationFailure lowered =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                planner.plan(new PlanRequest("r3", List.of(KEY), RotationKind.EMERGENCY, 1, null)));
    ApplicationFailure emergencyDefault =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                planner.plan(
                    new PlanRequest("r4", List.of(KEY), RotationKind.EMERGENCY, null, null)));

    assertThat(raised.policy().requiredApprovals()).isEqualTo(3);
    assertThat(raised.policy().gateTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(lowered.getType()).isEqualTo(RotationErrors.INVALID_REQUEST.name());
    assertThat(lowered.getOriginalMessage()).contains("below the configured minimum of 2");
    assertThat(emergencyDefault.getOriginalMessage())
        .as("the emergency default of 1 is below this configuration's minimum of 2")
        .contains("requiredApprovals 1 is below");
  }

  @Test
  void aRoutineRequest_cannotGoBelowItsKindsApprovals_evenWhereTheMinimumIsLower() {
    PlanActivitiesImpl defaults = planner(PolicyConfig.defaults());
    ApplicationFailure lowered =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                defaults.plan(new PlanRequest("r6", List.of(KEY), RotationKind.ROUTINE, 1, null)));
    RotationPlan emergency =
        defaults.plan(new PlanRequest("r7", List.of(KEY), RotationKind.EMERGENCY, 1, null));
    RotationPlan raised =
        defaults.plan(new PlanRequest("r8", List.of(KEY), RotationKind.ROUTINE, 3, null));

    assertThat(PolicyConfig.defaults().minimumApprovals())
        .as("the minimum alone would allow 1")
        .isEqualTo(1);
    assertThat(lowered.getType()).isEqualTo(RotationErrors.INVALID_REQUEST.name());
    assertThat(lowered.getOriginalMessage())
        .contains(
            "requiredApprovals 1 is below the configured minimum of 2 for a ROUTINE rotation");
    assertThat(emergency.policy().requiredApprovals())
        .as("an emergency's policy is one")
        .isEqualTo(1);
    assertThat(raised.policy().requiredApprovals()).isEqualTo(3);
  }

  @Test
  void anUnconfiguredSecret_isRefusedWithTheConfiguredNames() {
    ApplicationFailure refused =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                planner.plan(
                    new PlanRequest("r5", List.of("stripe"), RotationKind.EMERGENCY, null, null)));

    assertThat(refused.getType()).isEqualTo(RotationErrors.UNKNOWN_SECRET.name());
    assertThat(refused.getOriginalMessage()).contains("stripe").contains(KEY);
  }
}
