package io.breakglass.worker.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.worker.embedded.RealTemporal;
import io.breakglass.worker.embedded.TemporalDevServer;
import io.breakglass.worker.rotation.Operator;
import io.breakglass.worker.rotation.RotationTests;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev stack on the real Temporal server ({@code temporal server start-dev} in a child process)
 * with the real worker and embedded PostgreSQL: a whole rotation, the rotation list filtered by
 * search attributes, and a rotation waiting at a gate across a restart of the stack on the same
 * database file.
 */
class RealServerRotationTest {

  private static final DevStack.DemoSize SMALL = new DevStack.DemoSize(300, 12, 1_024);
  private static final String AT_GATE = "real-at-gate";
  private static final String WAITING_EMERGENCIES =
      "BreakglassKind='EMERGENCY' AND BreakglassState='AWAITING_APPROVAL'";
  private static final String COMPLETED_EMERGENCIES =
      "BreakglassKind='EMERGENCY' AND BreakglassState='COMPLETED'";

  @TempDir Path data;

  @Test
  void onTheRealServer_aRotationCompletes_theListFiltersBySearchAttribute_andAGateSurvivesARestart()
      throws Exception {
    RealTemporal.cliOrSkip();
    DevLayout layout = new DevLayout(data);
    DevTemporal real = new DevTemporal(DevTemporal.Mode.REAL, 0, 0, null);
    String demoWorkflow;
    String atGateWorkflow = RotationWorkflow.workflowId(AT_GATE);
    try (DevStack stack = DevStack.start(layout, real, 0, SMALL, quiet(), false)) {
      assertThat(stack.temporal()).isInstanceOf(TemporalDevServer.class);
      assertThat(stack.temporal().webUi()).isPresent();

      DemoRotation.Outcome demo = new DemoRotation(stack, quiet()).run(Duration.ofMinutes(4));
      assertThat(demo.passed()).as(demo.problems().toString()).isTrue();
      // Every item's progress reaches the rotation, the last shard's too (it raced the run's end).
      assertThat(
              demo.status().progress().stream().mapToLong(DataSetProgress::itemsReencrypted).sum())
          .isEqualTo(SMALL.snapshots() + SMALL.artifacts());
      demoWorkflow = RotationWorkflow.workflowId(demo.rotationId());
      // Each secret the rotation completed is next due on its Temporal Schedule, at the recorded
      // date.
      for (String secret : List.of(DevSettings.ARTIFACT_KEY, DevSettings.PAYLOAD_KEY)) {
        assertThat(RoutineScheduleRealServerTest.nextFiring(stack, secret))
            .isEqualTo(RoutineScheduleRealServerTest.recordedDue(stack, secret));
      }

      RotationTests.start(
          stack.client(),
          WorkflowOptions.newBuilder().setTaskQueue(stack.taskQueue()).build(),
          RotationTests.emergency(AT_GATE, DevSettings.JWT));
      try (Operator watcher = new Operator(stack.client(), AT_GATE).start()) {
        watcher.awaitStatus(
            s -> s.state() == RotationState.AWAITING_APPROVAL, Duration.ofMinutes(1));
      }

      List<String> waiting =
          awaitList(stack.client(), WAITING_EMERGENCIES, ids -> ids.contains(atGateWorkflow));
      assertThat(waiting).contains(atGateWorkflow).doesNotContain(demoWorkflow);
      // Negative control: the same filter on another state finds the completed one, not the waiting
      // one.
      List<String> completed =
          awaitList(stack.client(), COMPLETED_EMERGENCIES, ids -> ids.contains(demoWorkflow));
      assertThat(completed).contains(demoWorkflow).doesNotContain(atGateWorkflow);
      assertThat(
              list(
                  stack.client(),
                  "BreakglassSecrets='" + DevSettings.JWT + "' AND BreakglassPhase='GATE_PROCEED'"))
          .containsExactly(atGateWorkflow);
    }
    assertThat(Files.size(layout.temporalDatabase())).isPositive();

    try (DevStack stack = DevStack.start(layout, real, 0, SMALL, quiet(), false)) {
      RotationStatus afterRestart;
      try (Operator watcher = new Operator(stack.client(), AT_GATE).start()) {
        afterRestart = watcher.awaitStatus(s -> true, Duration.ofMinutes(1));
      }
      assertThat(afterRestart.state()).isEqualTo(RotationState.AWAITING_APPROVAL);
      assertThat(afterRestart.phase()).isEqualTo(Phase.GATE_PROCEED);

      RotationStatus end;
      try (Operator humans =
          new Operator(stack.client(), AT_GATE)
              .approves(GateName.PROCEED, "bob", "carol")
              .approves(GateName.REVOKE, "bob", "carol")
              .start()) {
        end = humans.awaitEnd(Duration.ofMinutes(3));
      }
      assertThat(end.state()).as(end.timeline().toString()).isEqualTo(RotationState.COMPLETED);
      assertThat(
              awaitList(stack.client(), COMPLETED_EMERGENCIES, ids -> ids.contains(atGateWorkflow)))
          .contains(atGateWorkflow, demoWorkflow);
      assertThat(list(stack.client(), WAITING_EMERGENCIES)).doesNotContain(atGateWorkflow);
    }
  }

  private static List<String> awaitList(
      WorkflowClient client, String query, Predicate<List<String>> done) {
    return await()
        .dontCatchUncaughtExceptions()
        .alias("the visibility list " + query)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> list(client, query), done);
  }

  private static List<String> list(WorkflowClient client, String query) {
    return client.listExecutions(query).map(e -> e.getExecution().getWorkflowId()).toList();
  }

  private static PrintStream quiet() {
    return new PrintStream(PrintStream.nullOutputStream());
  }
}
