package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACTS;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.testing.LocalS3;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.messages.queries.RotationResult;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

class S3ArtifactsRotationTest {

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;
  @TempDir Path s3Folder;

  @Test
  void aRotationOfTheArtifactKey_reencryptsEveryObjectInS3_andKeepsItsBackupThere(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    try (LocalS3 s3 = LocalS3.start(s3Folder);
        S3Client inspect = s3.client()) {
      Testbed testbed = new Testbed(root, s3);
      RotationTests.startWorker(env, worker, testbed, RotationTests.recording(testbed));
      Map<String, String> plaintextBefore = testbed.plaintextDigests();

      WorkflowStub stub =
          RotationTests.start(client, options, RotationTests.emergency("s3-1", ARTIFACT_KEY));
      RotationStatus end;
      try (Operator operator =
          new Operator(client, "s3-1")
              .approves(GateName.PROCEED, "bob")
              .approves(GateName.REVOKE, "carol")
              .start()) {
        end = operator.awaitEnd(Duration.ofMinutes(2));
      }
      RotationResult result = stub.getResult(RotationResult.class);

      assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
      assertThat(testbed.current(ARTIFACT_KEY).versionId())
          .isEqualTo(VersionIds.forRotation("s3-1", ARTIFACT_KEY));
      assertThat(testbed.scan(ARTIFACTS).itemsUnder(testbed.currentKey(ARTIFACT_KEY).toString()))
          .isEqualTo(Testbed.FILES);
      assertThat(testbed.scan(ARTIFACTS).undecryptable()).isZero();
      assertThat(testbed.plaintextDigests()).isEqualTo(plaintextBefore);
      assertThat(result.itemsReencrypted()).isEqualTo(Testbed.FILES);
      assertThat(
              inspect
                  .headObject(
                      HeadObjectRequest.builder()
                          .bucket(Testbed.S3_BUCKET)
                          .key("backups/s3-1/" + ARTIFACTS + ".bgbak")
                          .build())
                  .contentLength())
          .isPositive();
      assertThat(Files.exists(root.resolve("backups/s3-1/" + ARTIFACTS + ".bgbak"))).isFalse();
    }
  }
}
