package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACTS;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY_AWS_ID;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.activities.testing.FakeSecretsManager;
import io.breakglass.activities.testing.FakeSecretsManager.Call;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A whole rotation with the artifact key in Secrets Manager (the fake) and the rest local. */
class SecretsManagerRotationTest {

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void
      aRotationWithOneSecretInSecretsManager_completesWithItsAwsLabelsRightAndTheOldVersionTaggedRevoked(
          TestWorkflowEnvironment env,
          WorkflowClient client,
          WorkflowOptions options,
          Worker worker)
          throws Exception {
    try (FakeSecretsManager aws = FakeSecretsManager.start()) {
      Testbed testbed = new Testbed(root, aws);
      RotationTests.startWorker(env, worker, testbed, RotationTests.recording(testbed));
      Map<String, String> plaintextBefore = testbed.plaintextDigests();
      String initial = testbed.initialVersion(ARTIFACT_KEY);

      RotationTests.start(
          client, options, RotationTests.emergency("aws-1", ARTIFACT_KEY, PAYLOAD_KEY, JWT));
      RotationStatus end;
      try (Operator operator =
          new Operator(client, "aws-1")
              .approves(GateName.PROCEED, "bob")
              .approves(GateName.REVOKE, "carol")
              .start()) {
        end = operator.awaitEnd(Duration.ofMinutes(2));
      }

      assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
      String fresh = VersionIds.forRotation("aws-1", ARTIFACT_KEY);
      assertThat(aws.labels(ARTIFACT_KEY_AWS_ID))
          .as(
              "AWSCURRENT on the new version; the old one revoked, without labels; no AWSPENDING left")
          .isEqualTo(Map.of(initial, List.of(), fresh, List.of("AWSCURRENT")));
      assertThat(aws.tags(ARTIFACT_KEY_AWS_ID).get("breakglass:" + initial))
          .as("the status in the version's one tag")
          .contains("status=REVOKED")
          .endsWith("revokedBy=aws-1");
      assertThat(aws.tags(ARTIFACT_KEY_AWS_ID))
          .containsOnlyKeys("breakglass:" + initial, "breakglass:" + fresh);
      assertThat(testbed.state(ARTIFACT_KEY).version(initial).orElseThrow().status())
          .isEqualTo(VersionStatus.REVOKED);
      assertThat(testbed.scan(ARTIFACTS).itemsUnder(testbed.currentKey(ARTIFACT_KEY).toString()))
          .isEqualTo(Testbed.FILES);
      assertThat(testbed.current(PAYLOAD_KEY).versionId())
          .as("local secrets rotate beside it")
          .isEqualTo(VersionIds.forRotation("aws-1", PAYLOAD_KEY));
      assertThat(testbed.plaintextDigests()).isEqualTo(plaintextBefore);
      assertThat(aws.calls()).extracting(Call::secretId).containsOnly(ARTIFACT_KEY_AWS_ID);
      assertThat(aws.calls()).extracting(Call::operation).doesNotContain("DeleteSecret");
    }
  }
}
