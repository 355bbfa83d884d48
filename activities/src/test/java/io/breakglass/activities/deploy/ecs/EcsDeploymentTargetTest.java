package io.breakglass.activities.deploy.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.EcsSecretReference;
import io.breakglass.activities.config.EcsTarget;
import io.breakglass.activities.testing.FakeEcs;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The ECS target against a protocol-level fake of ECS: each keyring becomes a task definition
 * revision whose container secrets name the versions, the service is updated and awaited until
 * steady, and a failed deployment puts the service back on the revision before.
 */
class EcsDeploymentTargetTest {

  static final String REGION = "eu-west-1";
  static final String ACCOUNT = "111122223333";
  static final String CLUSTER = "clinic";
  static final String SERVICE = "clinic-api";
  static final String SECRET = "openai";
  static final String ARN =
      "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/openai-api-key-a1B2c3";
  static final String CURRENT = "OPENAI_API_KEY";
  static final String PREVIOUS = "OPENAI_API_KEY_PREVIOUS";
  static final String DATABASE_URL =
      "arn:aws:ssm:eu-west-1:111122223333:parameter/clinic/database-url";

  /**
   * The service's task definition as the team registered it: the key by ARN, AWSCURRENT at start.
   */
  static final String DEFINITION =
      """
      {"family":"clinic-api","taskRoleArn":"arn:aws:iam::111122223333:role/clinic-api-task",
       "executionRoleArn":"arn:aws:iam::111122223333:role/clinic-api-execution","networkMode":"awsvpc",
       "requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
       "containerDefinitions":[{"name":"api","image":"registry.example.invalid/clinic-api:7","essential":true,
         "secrets":[{"name":"DATABASE_URL","valueFrom":"%s"},{"name":"OPENAI_API_KEY","valueFrom":"%s"}]}]}
      """
          .formatted(DATABASE_URL, ARN);

  private FakeEcs fake;
  private EcsClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    fake.close();
  }

  @Test
  void throughARotation_eachRevisionNamesTheKeyringsVersions_andTheServiceRunsItSteady() {
    EcsDeploymentTarget target = start(n -> false, null);
    assertThat(target.read().entries()).as("AWSCURRENT by ARN names no version").isEmpty();

    target.publish(keyring("v1", "v2"));
    target.restart("r1", "DISTRIBUTE");
    Map<String, String> distributed = secrets(fake.running(CLUSTER, SERVICE));
    target.publish(keyring("v2", "v1"));
    target.restart("r1", "PROMOTE");
    Map<String, String> promoted = secrets(fake.running(CLUSTER, SERVICE));
    target.publish(keyring("v2"));
    target.restart("r1", "REVOKE");
    String revoked = fake.running(CLUSTER, SERVICE);

    assertThat(distributed)
        .containsEntry(CURRENT, ARN + ":::v1")
        .containsEntry(PREVIOUS, ARN + ":::v2")
        .containsEntry("DATABASE_URL", DATABASE_URL);
    assertThat(promoted)
        .containsEntry(CURRENT, ARN + ":::v2")
        .containsEntry(PREVIOUS, ARN + ":::v1");
    assertThat(secrets(revoked))
        .containsExactly(
            Map.entry("DATABASE_URL", DATABASE_URL), Map.entry(CURRENT, ARN + ":::v2"));
    assertThat(revoked).endsWith("task-definition/clinic-api:4");
    JsonNode copy = fake.taskDefinition(revoked);
    JsonNode original = fake.taskDefinition(fake.revisions("clinic-api").get(0));
    for (String field :
        List.of(
            "taskRoleArn",
            "executionRoleArn",
            "networkMode",
            "requiresCompatibilities",
            "cpu",
            "memory")) {
      assertThat(copy.get(field)).as(field).isEqualTo(original.get(field));
    }
    assertThat(copy.path("containerDefinitions").get(0).path("image").asText())
        .isEqualTo("registry.example.invalid/clinic-api:7");
    assertThat(target.read().entries()).containsExactly(new KeyringEntry(SECRET, "v2", List.of()));
  }

  @Test
  void aFailedDeployment_putsTheServiceBackOnTheRevisionBefore_andIsARestartFailure() {
    EcsDeploymentTarget target = start(n -> n == 1, null);
    String before = fake.running(CLUSTER, SERVICE);
    target.publish(keyring("v1", "v2"));

    ApplicationFailure failed =
        catchThrowableOfType(ApplicationFailure.class, () -> target.restart("r1", "DISTRIBUTE"));

    assertThat(failed.getType()).isEqualTo(RotationErrors.RESTART_FAILED.name());
    assertThat(failed.getOriginalMessage())
        .contains("clinic-api:2 FAILED", "put back on clinic-api:1, steady");
    assertThat(fake.running(CLUSTER, SERVICE)).isEqualTo(before);
    assertThat(fake.calls()).filteredOn(c -> c.operation().equals("UpdateService")).hasSize(2);
  }

  @Test
  void negativeControl_aDeploymentThatSucceeds_leavesTheServiceOnTheNewRevision() {
    EcsDeploymentTarget target = start(n -> false, null);
    String before = fake.running(CLUSTER, SERVICE);
    target.publish(keyring("v1", "v2"));

    target.restart("r1", "DISTRIBUTE");

    assertThatThrownBy(() -> assertThat(fake.running(CLUSTER, SERVICE)).isEqualTo(before))
        .as("the failed-deployment test's assertion fails when nothing failed")
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void
      publishingTheSameKeyringAgain_registersNothing_andARetriedRestartDoesNotUpdateTheServiceAgain() {
    EcsDeploymentTarget target = start(n -> false, null);
    target.publish(keyring("v1", "v2"));
    target.restart("r1", "DISTRIBUTE");

    target.publish(keyring("v1", "v2"));
    target.restart("r1", "DISTRIBUTE");

    assertThat(fake.revisions("clinic-api")).hasSize(2);
    assertThat(fake.calls()).filteredOn(c -> c.operation().equals("UpdateService")).hasSize(1);
  }

  @Test
  void aJsonKey_isNamedInTheReference_andMoreDecryptOnlyVersionsThanNames_isRefused() {
    EcsDeploymentTarget target = start(n -> false, "apiKey");
    target.publish(keyring("v1", "v2"));

    ApplicationFailure refused =
        catchThrowableOfType(
            ApplicationFailure.class, () -> target.publish(keyring("v1", "v0", "v2")));

    assertThat(secrets(fake.revisions("clinic-api").get(1)))
        .containsEntry(CURRENT, ARN + ":apiKey::v1");
    assertThat(target.read().entries())
        .containsExactly(new KeyringEntry(SECRET, "v1", List.of("v2")));
    assertThat(refused.getType()).isEqualTo(RotationErrors.INVALID_CONFIGURATION.name());
    assertThat(refused.getOriginalMessage()).contains("[v0, v2]", "add names to previous");
    assertThat(fake.revisions("clinic-api")).hasSize(2);
  }

  @Test
  void aSecretNotKeptInSecretsManagerByArn_isAConfigurationError() {
    fake = FakeEcs.start(REGION, ACCOUNT, n -> false);
    DeploymentConfig config = config(null);

    assertThatThrownBy(
            () ->
                new EcsDeploymentTarget(
                    config,
                    Map.of(SECRET, "prod/openai-api-key"),
                    null,
                    s -> {},
                    Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("full ARN");
  }

  static DeploymentConfig config(String jsonKey) {
    return new DeploymentConfig(
        SERVICE,
        DeploymentTargetType.ECS,
        List.of(SECRET),
        null,
        null,
        null,
        new EcsTarget(
            CLUSTER,
            SERVICE,
            List.of(new EcsSecretReference(SECRET, "api", CURRENT, List.of(PREVIOUS), jsonKey)),
            Duration.ofSeconds(10),
            null));
  }

  private EcsDeploymentTarget start(IntPredicate failing, String jsonKey) {
    fake = FakeEcs.start(REGION, ACCOUNT, failing);
    fake.createService(CLUSTER, SERVICE, DEFINITION);
    DeploymentConfig config = config(jsonKey);
    client = fake.client(config.ecs());
    return new EcsDeploymentTarget(
        config, Map.of(SECRET, ARN), client, s -> {}, Duration.ofMillis(10));
  }

  private static KeyringSpec keyring(String primary, String... decryptOnly) {
    return new KeyringSpec(
        SERVICE, List.of(new KeyringEntry(SECRET, primary, List.of(decryptOnly))));
  }

  /** The container's secrets, name to valueFrom, in order. */
  private Map<String, String> secrets(String taskDefinitionArn) {
    Map<String, String> secrets = new LinkedHashMap<>();
    fake.taskDefinition(taskDefinitionArn)
        .path("containerDefinitions")
        .get(0)
        .path("secrets")
        .forEach(s -> secrets.put(s.path("name").asText(), s.path("valueFrom").asText()));
    return secrets;
  }
}
