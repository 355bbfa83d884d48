package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.JWT;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.LogScanConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log scan (METRIC_WATCH without Prometheus metrics) whose window holds no {@code
 * chart_upload.saved} entry proves nothing: the rotation stops at a human with RETRY, ACCEPT and
 * ROLLBACK, and goes on only when someone accepts, by name.
 */
class LogScanInconclusiveTest {

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;

  @Test
  void noSavedChartUploadInTheWindow_stopsAtAHuman_andAcceptGoesOn_namingWhoAccepted(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationStatus end =
        rotate(
            env,
            client,
            options,
            worker,
            "scan-empty",
            List.of("{\"event\":\"prompt.redacted\",\"count\":2}", "GET /health 200"));

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(end.timeline())
        .filteredOn(
            e -> e.phase() == Phase.METRIC_WATCH && e.outcome() == TimelineOutcome.ESCALATED)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.detail())
                    .isEqualTo(
                        "METRIC_WATCH inconclusive, no usable data: log scan: 2"
                            + " line(s), 0 chart_upload.saved entries: no chart_upload.saved entry in the window"));
    assertThat(end.timeline())
        .filteredOn(e -> e.phase() == Phase.METRIC_WATCH && e.outcome() == TimelineOutcome.APPROVED)
        .singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo("olivia"));
  }

  /** Negative control: the same rotation with one saved upload in the window passes on its own. */
  @Test
  void negativeControl_aSavedChartUploadWithItsHash_passesWithoutAHuman(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationStatus end =
        rotate(
            env,
            client,
            options,
            worker,
            "scan-saved",
            List.of(
                "{\"event\":\"chart_upload.saved\",\"patient_hash\":\"9f2c1ab0\"}",
                "GET /health 200"));

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(end.timeline()).noneMatch(e -> e.outcome() == TimelineOutcome.ESCALATED);
    assertThat(end.timeline())
        .filteredOn(
            e ->
                e.phase() == Phase.METRIC_WATCH
                    && e.actor().equals(TimelineEntry.SYSTEM_ACTOR)
                    && e.outcome() == TimelineOutcome.SUCCEEDED)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.detail())
                    .contains("log scan: 2 line(s), 1 chart_upload.saved entries, no finding"));
  }

  private RotationStatus rotate(
      TestWorkflowEnvironment env,
      WorkflowClient client,
      WorkflowOptions options,
      Worker worker,
      String rotationId,
      List<String> logLines)
      throws Exception {
    Path log = Files.write(root.resolve("app.log"), logLines);
    Testbed testbed =
        new Testbed(
            root,
            new MetricWatchConfig(null, null, null, new LogScanConfig(List.of(log), 0, null)));
    RotationTests.startWorker(env, worker, testbed);
    RotationTests.start(client, options, RotationTests.emergency(rotationId, JWT));
    try (Operator operator =
        new Operator(client, rotationId)
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .decides(ResumeAction.ACCEPT)
            .start()) {
      return operator.awaitEnd(Duration.ofMinutes(2));
    }
  }
}
