package io.breakglass.activities.deploy.ecs;

import static io.breakglass.activities.deploy.ecs.EcsDeploymentTargetTest.ACCOUNT;
import static io.breakglass.activities.deploy.ecs.EcsDeploymentTargetTest.ARN;
import static io.breakglass.activities.deploy.ecs.EcsDeploymentTargetTest.CLUSTER;
import static io.breakglass.activities.deploy.ecs.EcsDeploymentTargetTest.DEFINITION;
import static io.breakglass.activities.deploy.ecs.EcsDeploymentTargetTest.REGION;
import static io.breakglass.activities.deploy.ecs.EcsDeploymentTargetTest.SECRET;
import static io.breakglass.activities.deploy.ecs.EcsDeploymentTargetTest.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.testing.FakeEcs;
import io.breakglass.activities.testing.FakeEcs.Call;
import io.breakglass.activities.testing.IamPolicy;
import io.breakglass.activities.testing.IamPolicy.Statement;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * deploy/iam/breakglass-policy.json grants exactly the ECS actions the ECS target calls, on the
 * service of the example configuration, and lets it pass exactly the roles its task definition
 * names: a new call, a stale action or a renamed service fails here.
 */
class EcsIamPolicyTest {

  static final String SERVICE_STATEMENT = "EcsService";
  static final String TASK_DEFINITIONS = "EcsTaskDefinitions";
  static final String PASS_ROLES = "EcsPassTaskRoles";
  private static final Path EXAMPLE = Path.of("..", "deploy", "config", "worker.yml");

  @Test
  void eachStatement_grantsExactlyTheCallsOfARotationAndAFailedDeployment_onTheirResources() {
    try (FakeEcs fake = FakeEcs.start(REGION, ACCOUNT, n -> n == 2)) {
      exercise(fake);
      IamPolicy policy = IamPolicy.load();

      assertGrants(
          policy.statement(SERVICE_STATEMENT), fake.calls(), c -> !c.resource().equals("*"));
      assertGrants(policy.statement(TASK_DEFINITIONS), fake.calls(), c -> c.resource().equals("*"));
      assertThat(policy.statement(PASS_ROLES).actions()).containsExactly("iam:PassRole");
      assertThat(policy.statement(PASS_ROLES).resources())
          .containsExactlyInAnyOrderElementsOf(new LinkedHashSet<>(fake.passedRoles()));
    }
  }

  @Test
  void theServiceStatement_namesTheServiceOfTheExampleConfiguration() throws IOException {
    String yaml = Files.readString(EXAMPLE);

    assertThat(yaml)
        .contains(
            "target: ECS", "cluster: " + CLUSTER, "service: " + SERVICE, "awsSecretId: " + ARN);
    assertThat(IamPolicy.load().statement(SERVICE_STATEMENT).resources())
        .containsExactly(
            "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":service/" + CLUSTER + "/" + SERVICE);
  }

  @Test
  void negativeControl_aStatementMissingACalledAction_orGrantingAStaleOne_fails() {
    try (FakeEcs fake = FakeEcs.start(REGION, ACCOUNT, n -> false)) {
      exercise(fake);
      Statement service = IamPolicy.load().statement(SERVICE_STATEMENT);
      Set<String> missing = new LinkedHashSet<>(service.actions());
      missing.remove("ecs:UpdateService");
      Set<String> stale = new LinkedHashSet<>(service.actions());
      stale.add("ecs:DeleteService");

      assertThatThrownBy(
              () ->
                  assertGrants(
                      withActions(service, missing), fake.calls(), c -> !c.resource().equals("*")))
          .isInstanceOf(AssertionError.class);
      assertThatThrownBy(
              () ->
                  assertGrants(
                      withActions(service, stale), fake.calls(), c -> !c.resource().equals("*")))
          .isInstanceOf(AssertionError.class);
    }
  }

  /** A rotation's three keyrings and restarts; with a failing deployment, its rollback too. */
  private static void exercise(FakeEcs fake) {
    fake.createService(CLUSTER, SERVICE, DEFINITION);
    DeploymentConfig config = EcsDeploymentTargetTest.config(null);
    try (EcsClient client = fake.client(config.ecs())) {
      EcsDeploymentTarget target =
          new EcsDeploymentTarget(
              config, Map.of(SECRET, ARN), client, s -> {}, Duration.ofMillis(10));
      target.read();
      for (KeyringSpec keyring : List.of(keyring("v1", "v2"), keyring("v2", "v1"), keyring("v2"))) {
        target.publish(keyring);
        try {
          target.restart("r1", "phase");
        } catch (RuntimeException failedAndRolledBack) {
          // the failed deployment's calls and its rollback are part of what is granted
        }
      }
    }
  }

  private static KeyringSpec keyring(String primary, String... decryptOnly) {
    return new KeyringSpec(
        SERVICE, List.of(new KeyringEntry(SECRET, primary, List.of(decryptOnly))));
  }

  private static void assertGrants(
      Statement statement, List<Call> calls, java.util.function.Predicate<Call> covered) {
    List<Call> mine = calls.stream().filter(covered).toList();
    assertThat(statement.actions())
        .as("actions of %s", statement.sid())
        .containsExactlyInAnyOrderElementsOf(
            mine.stream()
                .map(c -> "ecs:" + c.operation())
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    assertThat(statement.resources())
        .as("resources of %s", statement.sid())
        .containsExactlyInAnyOrderElementsOf(
            mine.stream().map(Call::resource).collect(Collectors.toCollection(LinkedHashSet::new)));
  }

  private static Statement withActions(Statement statement, Set<String> actions) {
    return new Statement(statement.sid(), statement.effect(), actions, statement.resources());
  }
}
