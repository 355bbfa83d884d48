package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACTS;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY_AWS_ID;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.activities.testing.FakeVault;
import io.breakglass.activities.testing.FakeVault.Call;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A whole rotation with the artifact key in Vault KV v2 (the fake) and the rest local. */
class VaultRotationTest {

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void
      aRotationWithOneSecretInVault_completesWithItsLabelsInCustomMetadata_andTheOldVersionSoftDeleted(
          TestWorkflowEnvironment env,
          WorkflowClient client,
          WorkflowOptions options,
          Worker worker)
          throws Exception {
    try (FakeVault vault = FakeVault.start()) {
      Testbed testbed = new Testbed(root, vault);
      RotationTests.startWorker(env, worker, testbed, RotationTests.recording(testbed));
      Map<String, String> plaintextBefore = testbed.plaintextDigests();
      String initial = testbed.initialVersion(ARTIFACT_KEY);

      RotationTests.start(
          client, options, RotationTests.emergency("vault-1", ARTIFACT_KEY, PAYLOAD_KEY, JWT));
      RotationStatus end;
      try (Operator operator =
          new Operator(client, "vault-1")
              .approves(GateName.PROCEED, "bob")
              .approves(GateName.REVOKE, "carol")
              .start()) {
        end = operator.awaitEnd(Duration.ofMinutes(2));
      }

      assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
      String fresh = VersionIds.forRotation("vault-1", ARTIFACT_KEY);
      Map<String, String> custom = vault.customMetadata(ARTIFACT_KEY_AWS_ID);
      assertThat(custom)
          .as("CURRENT on Vault version 2; no PREVIOUS or PENDING left after the revoke")
          .containsEntry("breakglass.current", "2")
          .doesNotContainKeys("breakglass.pending", "breakglass.previous")
          .containsEntry("version", "2")
          .containsKey("rotatedAt");
      assertThat(custom.get("breakglass.v1"))
          .contains("status=REVOKED")
          .contains("revokedBy=vault-1");
      assertThat(vault.data(ARTIFACT_KEY_AWS_ID, 2)).containsEntry("breakglass_version_id", fresh);
      assertThat(vault.deleted(ARTIFACT_KEY_AWS_ID, 1))
          .as("the old key soft-deleted, recoverable")
          .isTrue();
      assertThat(testbed.state(ARTIFACT_KEY).version(initial).orElseThrow().status())
          .isEqualTo(VersionStatus.REVOKED);
      assertThat(testbed.scan(ARTIFACTS).itemsUnder(testbed.currentKey(ARTIFACT_KEY).toString()))
          .isEqualTo(Testbed.FILES);
      assertThat(testbed.current(PAYLOAD_KEY).versionId())
          .as("local secrets rotate beside it")
          .isEqualTo(VersionIds.forRotation("vault-1", PAYLOAD_KEY));
      assertThat(testbed.plaintextDigests()).isEqualTo(plaintextBefore);
      assertThat(vault.calls())
          .extracting(Call::path)
          .allMatch(p -> p.endsWith("/" + ARTIFACT_KEY_AWS_ID))
          .noneMatch(p -> p.contains("/destroy/"));
    }
  }
}
