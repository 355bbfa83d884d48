package io.breakglass.activities.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.activities.config.ApprovalIdentityProviderConfig;
import io.breakglass.activities.config.ApprovalsConfig;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretSmokeConfig;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.PlanActivities.PlanRequest;
import io.breakglass.workflows.messages.values.ApprovalPolicy;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.SecretKind;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PLAN puts the configured approval rules into the plan, so the workflow verifies by them. */
class PlanApprovalPolicyTest {

  private static final String KEY = "bob-2026";
  private static final String BOB = "MOPfmpuzOjoU12UNcUimJrEz605AZvJ+XYv3Ov2GzEk=";

  @TempDir Path folder;
  private LocalSecretStore store;

  @BeforeEach
  void setUp() {
    store = LocalStores.in(folder);
    LocalStores.initialise(store, "jwt", 64);
  }

  @Test
  void thePlan_carriesTheIdentityProviderAndTheRegisteredKeys_butNotTheJwksAddress() {
    ApprovalsConfig approvals =
        new ApprovalsConfig(
            false,
            new ApprovalIdentityProviderConfig(
                "https://login.example.test/",
                "breakglass-approvals",
                URI.create("https://login.example.test/certs"),
                "email"),
            Duration.ofSeconds(10),
            Duration.ofMinutes(20),
            Map.of("bob", Map.of(KEY, BOB)));

    ApprovalPolicy policy = plan(settings().withApprovals(approvals)).policy().approvals();

    assertThat(policy.allowUnsigned()).isFalse();
    assertThat(policy.issuer()).isEqualTo("https://login.example.test/");
    assertThat(policy.nameClaim()).isEqualTo("email");
    assertThat(policy.leeway()).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.statementMaxLifetime()).isEqualTo(Duration.ofMinutes(20));
    assertThat(policy.keys())
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.person()).isEqualTo("bob");
              assertThat(k.keyId()).isEqualTo(KEY);
              assertThat(k.publicKey()).isEqualTo(BOB);
            });
    assertThat(policy.toString()).doesNotContain("/certs");
  }

  @Test
  void
      settingsBuiltInJavaWithoutApprovals_allowUnsignedDecisions_settingsWithNoneAtAllAreRefused() {
    assertThat(plan(settings()).policy().approvals().allowUnsigned()).isTrue();

    ApplicationFailure refused =
        catchThrowableOfType(ApplicationFailure.class, () -> plan(settings().withApprovals(null)));
    assertThat(refused.getType()).isEqualTo(RotationErrors.INVALID_CONFIGURATION.name());
    assertThat(refused.getOriginalMessage()).contains("rotation.approvals is missing");
  }

  private io.breakglass.workflows.messages.values.RotationPlan plan(RotationSettings settings) {
    return new PlanActivitiesImpl(
            settings, store, new ProtectedDataSets(settings, Map.of()), "no metrics")
        .plan(new PlanRequest("r1", List.of("jwt"), RotationKind.EMERGENCY, null, null));
  }

  private RotationSettings settings() {
    return new RotationSettings(
        new LocalSecretStoreConfig(folder.resolve("secrets.store"), null, null),
        List.of(
            new SecretConfig("jwt", SecretKind.SIGNING_SECRET)
                .withSmoke(SecretSmokeConfig.allowNoChecks("no service"))),
        List.of(),
        List.of(),
        null,
        new BackupConfig(folder, 0),
        null);
  }
}
