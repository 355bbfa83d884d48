package io.breakglass.activities.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.JwtCheckConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretSmokeConfig;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.PlanActivities.PlanRequest;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationPlan;
import io.breakglass.workflows.messages.values.SecretKind;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No smoke test passes on nothing: PLAN refuses a secret that no configured smoke check covers,
 * unless the secret's configuration allows it explicitly, with a reason.
 */
class PlanSmokeCheckRuleTest {

  private static final SecretConfig JWT = new SecretConfig("jwt", SecretKind.SIGNING_SECRET);
  private static final SecretConfig OPENAI = new SecretConfig("openai", SecretKind.API_KEY);
  private static final HttpCheckConfig HEALTH =
      new HttpCheckConfig(
          "health",
          null,
          "http://127.0.0.1:9/health",
          null,
          null,
          Map.of("/status", "UP"),
          null,
          null);

  @TempDir Path folder;
  private LocalSecretStore store;

  @BeforeEach
  void setUp() {
    store = LocalStores.in(folder);
    LocalStores.initialise(store, "jwt", 64);
    LocalStores.initialise(store, "openai", 32);
  }

  @Test
  void aSecretNoSmokeCheckCovers_isRefusedAtPlan_asInvalidConfiguration_namingIt() {
    ApplicationFailure refused =
        catchThrowableOfType(
            ApplicationFailure.class, () -> plan(List.of(JWT, OPENAI), List.of(HEALTH), "jwt"));

    assertThat(refused.getType()).isEqualTo(RotationErrors.INVALID_CONFIGURATION.name());
    assertThat(refused.isNonRetryable()).isTrue();
    assertThat(refused.getOriginalMessage())
        .startsWith("secret jwt has no smoke check")
        .contains("allowNoChecks");
  }

  @Test
  void negativeControl_aCheckThatSignsItsTokenWithTheSecret_coversIt() {
    HttpCheckConfig session =
        new HttpCheckConfig(
            "jwt session",
            null,
            "http://127.0.0.1:9/session",
            null,
            null,
            null,
            null,
            null,
            null,
            new JwtCheckConfig("jwt"));

    RotationPlan plan = plan(List.of(JWT, OPENAI), List.of(HEALTH, session), "jwt");

    assertThat(plan.secret("jwt")).isNotNull();
  }

  @Test
  void aCheckNamingTheSecretsKeyId_orListingIt_coversIt() {
    HttpCheckConfig namesKeyId =
        new HttpCheckConfig(
            "session key",
            null,
            "http://127.0.0.1:9/session",
            null,
            null,
            Map.of("/keyId", "${keyId:jwt}"),
            null,
            null);
    HttpCheckConfig listsIt =
        new HttpCheckConfig(
            "summary",
            null,
            "http://127.0.0.1:9/summary",
            null,
            null,
            null,
            null,
            null,
            List.of("openai"),
            null);

    assertThat(namesKeyId.coveredSecrets()).containsExactly("jwt");
    assertThat(listsIt.coveredSecrets()).containsExactly("openai");
    assertThat(HEALTH.coveredSecrets()).isEmpty();
    assertThat(plan(List.of(JWT, OPENAI), List.of(namesKeyId, listsIt), "jwt", "openai").secrets())
        .hasSize(2);
  }

  @Test
  void aSecretWhoseConfigurationAllowsNoChecks_withAReason_isPlanned() {
    SecretConfig allowed =
        OPENAI.withSmoke(SecretSmokeConfig.allowNoChecks("checked at operatorValueCheck"));

    RotationPlan plan = plan(List.of(JWT, allowed), List.of(HEALTH), "openai");

    assertThat(plan.secret("openai")).isNotNull();
    assertThat(allowed.noSmokeCheckReason()).isEqualTo("checked at operatorValueCheck");
  }

  @Test
  void allowNoChecksWithoutAReason_isRefusedWhenTheConfigurationIsBuilt() {
    assertThatThrownBy(() -> new SecretSmokeConfig(true, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("smoke.allowNoChecks needs a reason");
    assertThat(new SecretSmokeConfig(false, null)).as("the rule, stated").isNotNull();
    assertThat(OPENAI.withSmoke(new SecretSmokeConfig(false, null)).noSmokeCheckReason()).isNull();
  }

  @Test
  void aCheckNamingASecretThatIsNotConfigured_isRefusedWhenTheConfigurationIsBuilt() {
    HttpCheckConfig typo =
        new HttpCheckConfig(
            "summary",
            null,
            "http://127.0.0.1:9/summary",
            null,
            null,
            null,
            null,
            null,
            List.of("opneai"),
            null);
    HttpCheckConfig notSigning =
        new HttpCheckConfig(
            "session",
            null,
            "http://127.0.0.1:9/session",
            null,
            null,
            null,
            null,
            null,
            null,
            new JwtCheckConfig("openai"));

    assertThatThrownBy(() -> settings(List.of(JWT, OPENAI), List.of(typo)))
        .hasMessage("smokeChecks: check 'summary' names secret opneai, which is not configured");
    assertThatThrownBy(() -> settings(List.of(JWT, OPENAI), List.of(notSigning)))
        .hasMessage(
            "smokeChecks: check 'session' signs its token with openai, which is not a SIGNING_SECRET");
  }

  private RotationPlan plan(
      List<SecretConfig> secrets, List<HttpCheckConfig> checks, String... rotated) {
    RotationSettings settings = settings(secrets, checks);
    return new PlanActivitiesImpl(
            settings, store, new ProtectedDataSets(settings, Map.of()), "no metrics")
        .plan(new PlanRequest("r1", List.of(rotated), RotationKind.EMERGENCY, null, null));
  }

  private RotationSettings settings(List<SecretConfig> secrets, List<HttpCheckConfig> checks) {
    return new RotationSettings(
        new LocalSecretStoreConfig(folder.resolve("secrets.store"), null, null),
        secrets,
        List.of(),
        List.of(),
        null,
        new BackupConfig(folder, 0),
        null,
        null,
        null,
        checks);
  }
}
