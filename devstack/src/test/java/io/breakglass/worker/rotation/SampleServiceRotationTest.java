package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.ReloadEndpointTarget;
import io.breakglass.worker.sample.SampleClient;
import io.breakglass.worker.sample.SampleService;
import io.breakglass.worker.sample.SampleServices;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.messages.queries.CompensationState;
import io.breakglass.workflows.messages.queries.RotationResult;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole rotation whose deployment is the running sample service, reached through the
 * RELOAD_ENDPOINT target: DISTRIBUTE, PROMOTE and REVOKE really reach it.
 */
class SampleServiceRotationTest {

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void afterARotation_theServiceWritesUnderTheNewKeyIds_andEveryOldItemStillReads(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    int port = SampleServices.freePort();
    Testbed testbed =
        new Testbed(
            root,
            new ReloadEndpointTarget(
                SampleServices.keyringFile(root),
                SampleServices.reloadUrl(port),
                SampleServices.TOKEN_ENV),
            Map.of(SampleServices.TOKEN_ENV, SampleServices.TOKEN),
            SampleServices.smokeChecks(port));
    try (SampleService service =
        SampleService.start(SampleServices.config(root, port), testbed.app.dataSource())) {
      SampleClient sample = new SampleClient(service.baseUri(), SampleServices.TOKEN);
      SampleClient.Stored oldChart =
          sample.uploadChart("patient-7", "chart before".getBytes(StandardCharsets.UTF_8));
      SampleClient.Stored oldSnapshot = sample.writeSnapshot("{\"summary\":\"before\"}");
      assertThat(oldChart.keyId()).isEqualTo(testbed.currentKey(ARTIFACT_KEY).toString());
      RotationTests.startWorker(env, worker, testbed);

      RotationTests.start(
          client, options, RotationTests.emergency("sample-1", ARTIFACT_KEY, PAYLOAD_KEY));
      RotationStatus end;
      try (Operator operator =
          new Operator(client, "sample-1")
              .approves(GateName.PROCEED, "bob")
              .approves(GateName.REVOKE, "carol")
              .start()) {
        end = operator.awaitEnd(Duration.ofMinutes(2));
      }

      assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
      assertThat(end.timeline())
          .filteredOn(
              e -> e.phase() == Phase.SMOKE_TEST && e.outcome() == TimelineOutcome.SUCCEEDED)
          .singleElement()
          .satisfies(e -> assertThat(e.detail()).isEqualTo("12 check(s) passed"));
      assertThat(testbed.history().find("sample-1").orElseThrow().validations())
          .anySatisfy(
              v ->
                  assertThat(v)
                      .startsWith(
                          "smoke read canary snapshot: passed GET http://127.0.0.1:"
                              + port
                              + "/snapshots/${snapshot} answered 200;")
                      .contains(
                          "/keyId = ${keyId:ai-payload-encryption-key}",
                          "/snapshot/canary = ${canary}"));
      assertThat(end.timeline())
          .extracting(TimelineEntry::detail)
          .filteredOn(d -> d != null && d.contains("backend reloaded its keyring"))
          .hasSize(3);
      String newChartKey = ARTIFACT_KEY + ":" + VersionIds.forRotation("sample-1", ARTIFACT_KEY);
      String newSnapshotKey = PAYLOAD_KEY + ":" + VersionIds.forRotation("sample-1", PAYLOAD_KEY);
      assertThat(
              sample
                  .uploadChart("patient-7", "chart after".getBytes(StandardCharsets.UTF_8))
                  .keyId())
          .isEqualTo(newChartKey);
      assertThat(sample.writeSnapshot("{\"summary\":\"after\"}").keyId()).isEqualTo(newSnapshotKey);
      HttpResponse<byte[]> chart = sample.readChart(oldChart.id());
      assertThat(chart.statusCode()).isEqualTo(200);
      assertThat(new String(chart.body(), StandardCharsets.UTF_8)).isEqualTo("chart before");
      assertThat(chart.headers().firstValue("X-Key-Id"))
          .as("re-encrypted by REENCRYPT")
          .hasValue(newChartKey);
      JsonNode snapshot = SampleClient.json(sample.readSnapshot(oldSnapshot.id()), 200);
      assertThat(snapshot.at("/snapshot/summary").asText()).isEqualTo("before");
      assertThat(snapshot.get("keyId").asText()).isEqualTo(newSnapshotKey);
      assertThat(SampleClient.json(sample.readSnapshot("1"), 200).get("keyId").asText())
          .as("a seeded row")
          .isEqualTo(newSnapshotKey);
      assertThat(testbed.scan(Testbed.SNAPSHOTS).undecryptable()).isZero();
      assertThat(testbed.scan(Testbed.SNAPSHOTS).itemsUnder(newSnapshotKey))
          .as("seeded rows, the one written before, the smoke check's and the one written after")
          .isEqualTo(Testbed.ROWS + 3);
    }
  }

  /**
   * Negative control: a smoke assertion that does not hold (the snapshot is expected under the
   * artifact key) fails SMOKE_TEST, the rotation waits until an operator chooses the rollback (an
   * emergency never falls back by itself), the compensations run, and the service is back on the
   * old keys.
   */
  @Test
  void aSmokeAssertionThatDoesNotHold_failsTheRotation_andTheServiceIsBackOnTheOldKeys(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    int port = SampleServices.freePort();
    List<HttpCheckConfig> checks = new ArrayList<>(SampleServices.smokeChecks(port));
    checks.set(
        2,
        new HttpCheckConfig(
            "write canary snapshot",
            "POST",
            "http://127.0.0.1:" + port + "/snapshots",
            "{\"canary\":\"${canary}\"}",
            201,
            Map.of("/keyId", "${keyId:artifact-encryption-key}"),
            null,
            Map.of("snapshot", "/id")));
    Testbed testbed =
        new Testbed(
            root,
            new ReloadEndpointTarget(
                SampleServices.keyringFile(root),
                SampleServices.reloadUrl(port),
                SampleServices.TOKEN_ENV),
            Map.of(SampleServices.TOKEN_ENV, SampleServices.TOKEN),
            checks);
    try (SampleService service =
        SampleService.start(SampleServices.config(root, port), testbed.app.dataSource())) {
      SampleClient sample = new SampleClient(service.baseUri(), SampleServices.TOKEN);
      String oldSnapshotKey = testbed.currentKey(PAYLOAD_KEY).toString();
      RotationTests.startWorker(env, worker, testbed);

      WorkflowStub stub =
          RotationTests.start(
              client, options, RotationTests.emergency("sample-2", ARTIFACT_KEY, PAYLOAD_KEY));
      RotationStatus end;
      try (Operator operator =
          new Operator(client, "sample-2")
              .approves(GateName.PROCEED, "bob")
              .decides(ResumeAction.ROLLBACK)
              .start()) {
        end = operator.awaitEnd(Duration.ofMinutes(2));
      }

      assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
      Throwable failure = catchThrowable(() -> stub.getResult(RotationResult.class));
      assertThat(failure.getCause()).isInstanceOf(ApplicationFailure.class);
      assertThat(((ApplicationFailure) failure.getCause()).getType())
          .isEqualTo("ROLLED_BACK_BY_OPERATOR");
      assertThat(end.timeline())
          .anySatisfy(e -> assertThat(e.detail()).startsWith("SMOKE_TEST_FAILED"));
      assertThat(end.compensations())
          .allSatisfy(c -> assertThat(c.state()).isEqualTo(CompensationState.DONE));
      assertThat(testbed.history().find("sample-2").orElseThrow().validations())
          .anySatisfy(
              v ->
                  assertThat(v)
                      .startsWith("smoke write canary snapshot: FAILED")
                      .endsWith("/keyId differs from ${keyId:artifact-encryption-key}"));
      assertThat(sample.writeSnapshot("{\"summary\":\"after rollback\"}").keyId())
          .isEqualTo(oldSnapshotKey);
      assertThat(SampleClient.json(sample.readSnapshot("1"), 200).get("keyId").asText())
          .isEqualTo(oldSnapshotKey);
    }
  }
}
