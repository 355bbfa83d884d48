package io.breakglass.activities.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.testing.FakeSecretsManager;
import io.breakglass.activities.testing.FakeSecretsManager.Call;
import io.breakglass.activities.testing.IamPolicy;
import io.breakglass.activities.testing.IamPolicy.Statement;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.messages.values.SecretKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * deploy/iam/breakglass-policy.json grants exactly the Secrets Manager actions the store calls, on
 * exactly the secrets deploy/config/worker.yml keeps there: a new call, a stale action or a secret
 * added to one file and not the other fails here.
 */
class SecretsManagerIamPolicyTest {

  static final String ROTATION = "SecretsManagerRotation";
  static final String STAGED = "SecretsManagerStagedValues";
  private static final Path EXAMPLE = Path.of("..", "deploy", "config", "worker.yml");

  @Test
  void eachStatement_grantsExactlyTheActionsTheStoreCallsOnItsSecrets() {
    Map<String, Set<String>> called = actionsCalledByAWholeLifecycle();

    assertSameActions(IamPolicy.load().statement(ROTATION), called.get(ROTATION));
    assertSameActions(IamPolicy.load().statement(STAGED), called.get(STAGED));
    assertThat(called.values().stream().flatMap(Set::stream))
        .doesNotContain("secretsmanager:DeleteSecret");
  }

  @Test
  void theStatements_areScopedToTheSecretsTheExampleConfigurationKeepsInSecretsManager()
      throws IOException {
    Map<String, String> awsSecrets = awsSecretsOf(Files.readString(EXAMPLE));
    IamPolicy policy = IamPolicy.load();

    assertThat(awsSecrets).isNotEmpty();
    assertThat(Files.readString(EXAMPLE))
        .as("no local store: Breakglass's own backup key lives in Secrets Manager too")
        .doesNotContain("secretStore:");
    // Breakglass's own backup key has its own statement (BackupKeyInSecretsManagerTest).
    assertThat(policy.statement(ROTATION).resources())
        .containsExactlyInAnyOrderElementsOf(awsSecrets.values());
    assertThat(policy.statement(STAGED).resources())
        .containsExactlyInAnyOrderElementsOf(
            awsSecrets.entrySet().stream()
                .map(
                    e ->
                        e.getValue().substring(0, e.getValue().indexOf(":secret:") + 8)
                            + AwsSecretsManagerStore.STAGED_PREFIX
                            + e.getKey()
                            + "-??????")
                .toList());
    for (String sid : policy.sids()) {
      Statement statement = policy.statement(sid);
      assertThat(statement.effect()).isEqualTo("Allow");
      assertThat(statement.actions())
          .doesNotContain("secretsmanager:DeleteSecret", "secretsmanager:*", "*");
      if (!statement
          .sid()
          .equals("EcsTaskDefinitions")) { // ECS task definition actions take no resource
        assertThat(statement.resources()).doesNotContain("*");
      }
    }
  }

  @Test
  void negativeControl_aStatementMissingOneCalledAction_orGrantingAStaleOne_fails() {
    Statement rotation = IamPolicy.load().statement(ROTATION);
    Set<String> called = actionsCalledByAWholeLifecycle().get(ROTATION);
    Set<String> missingOne = new LinkedHashSet<>(rotation.actions());
    missingOne.remove("secretsmanager:TagResource");
    Set<String> staleOne = new LinkedHashSet<>(rotation.actions());
    staleOne.add("secretsmanager:RotateSecret");

    assertThatThrownBy(() -> assertSameActions(withActions(rotation, missingOne), called))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> assertSameActions(withActions(rotation, staleOne), called))
        .isInstanceOf(AssertionError.class);
  }

  /**
   * Runs what rotations do to an API key kept by ARN (as in the example): staging, two rotations, a
   * rollback, a discard, a stale PENDING, a revoke, its way back and a revoke again, and tags given
   * up for a new version (a small tag budget stands in for many rotations). Actions by statement.
   */
  static Map<String, Set<String>> actionsCalledByAWholeLifecycle() {
    try (FakeSecretsManager fake = FakeSecretsManager.start();
        SecretsManagerClient client = fake.client()) {
      String initial = VersionIds.forRotation("initial", "openai");
      client.createSecret(
          r ->
              r.name("prod/openai-api-key").secretString("sk-initial").clientRequestToken(initial));
      fake.clearCalls();
      AwsSecretsManagerStore store =
          new AwsSecretsManagerStore(
              client,
              List.of(
                  new SecretConfig(
                      "openai",
                      SecretKind.API_KEY,
                      SecretStoreType.AWS_SECRETS_MANAGER,
                      FakeSecretsManager.arn("prod/openai-api-key"),
                      null)),
              Clock.systemUTC(),
              new TagBudget(
                  3, TagBudget.AWS_LIMIT)); // r4 gives up the tags of two retired versions
      String r1 = rotate(store, "r1", "sk-one");
      store.moveCurrent("openai", r1);
      String r2 = rotate(store, "r2", "sk-two");
      store.discard("openai", r2);
      String r3 = rotate(store, "r3", "sk-three");
      store.moveCurrent("openai", r3);
      store.restoreLabels("openai", r1, initial);
      store.moveCurrent("openai", r3);
      store.revoke("openai", initial, "r3");
      store.unrevoke("openai", initial, "r3");
      store.revoke("openai", initial, "r3");
      store.material("openai", r3);
      rotate(store, "r4", "sk-four");
      assertThatThrownBy(() -> rotate(store, "r5", "sk-five"))
          .isInstanceOf(SecretStoreException.class);

      Map<String, Set<String>> byStatement = new LinkedHashMap<>();
      byStatement.put(ROTATION, actions(fake.calls(), false));
      byStatement.put(STAGED, actions(fake.calls(), true));
      return byStatement;
    }
  }

  private static String rotate(AwsSecretsManagerStore store, String rotationId, String apiKey) {
    store.stage("openai", apiKey.getBytes(StandardCharsets.UTF_8));
    String versionId = VersionIds.forRotation(rotationId, "openai");
    store.createPending(
        "openai", versionId, store.staged("openai"), Map.of("rotationId", rotationId));
    store.clearStaged("openai");
    return versionId;
  }

  private static Set<String> actions(List<Call> calls, boolean staged) {
    return calls.stream()
        .filter(c -> c.secretId().startsWith(AwsSecretsManagerStore.STAGED_PREFIX) == staged)
        .map(c -> "secretsmanager:" + c.operation())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static void assertSameActions(Statement statement, Set<String> called) {
    assertThat(statement.actions())
        .as("actions of statement %s", statement.sid())
        .containsExactlyInAnyOrderElementsOf(called);
  }

  private static Statement withActions(Statement statement, Set<String> actions) {
    return new Statement(statement.sid(), statement.effect(), actions, statement.resources());
  }

  /** Runbook name to ARN of every secret the YAML keeps in Secrets Manager by ARN. */
  private static Map<String, String> awsSecretsOf(String yaml) {
    Map<String, String> secrets = new LinkedHashMap<>();
    // A list item "- name: x" whose following keys include "awsSecretId: arn:...".
    Matcher m =
        Pattern.compile("- name: ([\\w.-]+)\\n(?:\\s+\\w+:.*\\n)*?\\s+awsSecretId: (arn:\\S+)")
            .matcher(yaml);
    while (m.find()) {
      secrets.put(m.group(1), m.group(2));
    }
    return secrets;
  }
}
