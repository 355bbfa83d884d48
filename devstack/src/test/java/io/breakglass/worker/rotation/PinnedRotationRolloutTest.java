package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.TemporalConfig;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.WorkerDeploymentConfig;
import io.breakglass.worker.embedded.RealTemporal;
import io.breakglass.worker.embedded.TemporalDevServer;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.VersioningBehavior;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskCompletedEventAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.VersioningOverride;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker versioning on the real Temporal server: two builds of the worker in one Worker Deployment,
 * rolled out the way docs/operator/worker.md tells an operator to ({@code temporal worker
 * deployment set-current-version}). A rotation waiting at its PROCEED gate when build B becomes
 * current finishes on build A, which started it; a rotation started afterwards runs on B. The
 * negative control is a rotation started on A with its pinning overridden to auto-upgrade: the same
 * wait, the same rollout, and its next workflow task runs on B.
 */
class PinnedRotationRolloutTest {

  private static final String DEPLOYMENT = "breakglass";
  private static final String TASK_QUEUE = "breakglass-rollout";
  private static final String BUILD_A = "build-a";
  private static final String BUILD_B = "build-b";
  private static final Duration AT_GATE = Duration.ofMinutes(1);

  @TempDir static Path serverFolder;
  private static Path cli;
  private static TemporalDevServer server;

  @TempDir Path root;

  @BeforeAll
  static void startServer() {
    cli = RealTemporal.cliOrSkip();
    server =
        TemporalDevServer.start(
            TemporalDevServer.Options.of(
                cli, serverFolder.resolve("temporal.db"), serverFolder.resolve("temporal.log")));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aRotationWaitingAtItsGate_finishesOnTheBuildThatStartedIt_whileNewRotationsRunOnTheNewBuild()
      throws Exception {
    Testbed testbed = new Testbed(root);
    TemporalConfig unversioned =
        new TemporalConfig(server.target(), null, null, null, false, TASK_QUEUE, 0, null);
    try (TemporalConnection connection = TemporalConnection.open(unversioned)) {
      WorkflowClient client = connection.client();
      WorkflowOptions onQueue = WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).build();
      List<BreakglassWorker> workers = new ArrayList<>();
      try {
        RecordingNotifications noticesOfA = RotationTests.recording(testbed);
        RecordingNotifications noticesOfB = RotationTests.recording(testbed);
        workers.add(startBuild(connection, unversioned, BUILD_A, testbed, noticesOfA));
        setCurrentVersion(BUILD_A);

        RotationTests.start(client, onQueue, RotationTests.emergency("pinned", PAYLOAD_KEY));
        RotationTests.start(
            client,
            WorkflowOptions.newBuilder(onQueue)
                .setVersioningOverride(new VersioningOverride.AutoUpgradeVersioningOverride())
                .build(),
            RotationTests.emergency("auto-upgraded", JWT));
        awaitProceedGate(client, "pinned");
        awaitProceedGate(client, "auto-upgraded");

        workers.add(startBuild(connection, unversioned, BUILD_B, testbed, noticesOfB));
        setCurrentVersion(BUILD_B);

        RotationTests.start(
            client, onQueue, RotationTests.emergency("after-rollout", ARTIFACT_KEY));
        awaitProceedGate(client, "after-rollout");
        assertThat(buildsOfWorkflowTasks(client, "after-rollout"))
            .isNotEmpty()
            .containsOnly(BUILD_B);

        RotationStatus end;
        try (Operator humans =
            new Operator(client, "pinned")
                .approves(GateName.PROCEED, "bob")
                .approves(GateName.REVOKE, "carol")
                .start()) {
          end = humans.awaitEnd(Duration.ofMinutes(3));
        }
        assertThat(end.state()).as(end.timeline().toString()).isEqualTo(RotationState.COMPLETED);
        List<HistoryEvent> history = events(client, RotationWorkflow.workflowId("pinned"));
        List<WorkflowTaskCompletedEventAttributes> pinned = workflowTasks(history);
        assertThat(pinned)
            .extracting(t -> t.getDeploymentVersion().getBuildId())
            .containsOnly(BUILD_A);
        assertThat(pinned)
            .extracting(WorkflowTaskCompletedEventAttributes::getVersioningBehavior)
            .containsOnly(VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
        assertThat(workflowTasksAfterFirstApproval(history))
            .as("workflow tasks after the rollout")
            .isNotEmpty();
        // Its activities too: the notices it sent after the rollout went out through build A.
        assertThat(events(noticesOfA, "pinned")).contains("gate-revoke-open", "completed");
        assertThat(events(noticesOfB, "pinned")).isEmpty();
        assertThat(events(noticesOfB, "after-rollout")).contains("started");
        // Its re-encryption runs, children started after the rollout, inherit the pin.
        List<String> children = childWorkflowIds(history);
        assertThat(children).isNotEmpty();
        for (String child : children) {
          assertThat(workflowTasks(events(client, child)))
              .as(child)
              .isNotEmpty()
              .extracting(t -> t.getDeploymentVersion().getBuildId())
              .containsOnly(BUILD_A);
        }

        // Negative control: the same wait and rollout, without the pin, moves to the new build.
        try (Operator humans =
            new Operator(client, "auto-upgraded").approves(GateName.PROCEED, "bob").start()) {
          List<String> builds = awaitBuild(client, "auto-upgraded", BUILD_B);
          assertThat(builds).startsWith(BUILD_A).endsWith(BUILD_B);
        }
      } finally {
        for (String id : List.of("auto-upgraded", "after-rollout")) {
          terminateQuietly(client, id);
        }
        workers.forEach(BreakglassWorker::shutdownNow);
      }
    }
  }

  /** A build of the worker whose notification activity records the notices it sends. */
  private static BreakglassWorker startBuild(
      TemporalConnection connection,
      TemporalConfig unversioned,
      String buildId,
      Testbed testbed,
      RecordingNotifications notices) {
    return BreakglassWorker.start(
        connection.client(),
        unversioned.withDeployment(new WorkerDeploymentConfig(DEPLOYMENT, buildId)),
        RotationTests.activities(testbed, notices));
  }

  private static List<String> events(RecordingNotifications notices, String rotationId) {
    return notices.notices.stream()
        .filter(n -> n.rotationId().equals(rotationId))
        .map(n -> n.event())
        .toList();
  }

  /** The operator's step, with the CLI; retried until the server has seen the build's pollers. */
  private static void setCurrentVersion(String buildId) {
    await()
        .dontCatchUncaughtExceptions()
        .alias("set-current-version " + buildId + " succeeds")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> setCurrentVersionOnce(buildId));
  }

  /** One run of the CLI; true when it exited 0 (its output is in the log on failure). */
  private static boolean setCurrentVersionOnce(String buildId)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(serverFolder, "set-current", ".log");
    Process process =
        new ProcessBuilder(
                cli.toString(),
                "worker",
                "deployment",
                "set-current-version",
                "--address",
                server.target(),
                "--namespace",
                TemporalDevServer.NAMESPACE,
                "--deployment-name",
                DEPLOYMENT,
                "--build-id",
                buildId,
                "--yes")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    if (process.exitValue() != 0) {
      System.err.println("set-current-version " + buildId + ": " + Files.readString(log));
    }
    return process.exitValue() == 0;
  }

  private static void awaitProceedGate(WorkflowClient client, String rotationId)
      throws InterruptedException {
    try (Operator watcher = new Operator(client, rotationId).start()) {
      watcher.awaitStatus(
          s -> s.state() == RotationState.AWAITING_APPROVAL && s.phase() == Phase.GATE_PROCEED,
          AT_GATE);
    }
  }

  /**
   * Waits until a workflow task of the rotation completes on {@code buildId}; returns every task's
   * build.
   */
  private static List<String> awaitBuild(WorkflowClient client, String rotationId, String buildId) {
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(AT_GATE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> buildsOfWorkflowTasks(client, rotationId), builds -> builds.contains(buildId));
  }

  private static List<String> buildsOfWorkflowTasks(WorkflowClient client, String rotationId) {
    return workflowTasks(events(client, RotationWorkflow.workflowId(rotationId))).stream()
        .map(t -> t.getDeploymentVersion().getBuildId())
        .toList();
  }

  private static List<WorkflowTaskCompletedEventAttributes> workflowTasks(
      List<HistoryEvent> events) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
        .map(HistoryEvent::getWorkflowTaskCompletedEventAttributes)
        .toList();
  }

  private static List<String> childWorkflowIds(List<HistoryEvent> events) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)
        .map(
            e ->
                e.getChildWorkflowExecutionStartedEventAttributes()
                    .getWorkflowExecution()
                    .getWorkflowId())
        .toList();
  }

  /**
   * The workflow tasks completed after the first approval reached the rotation (update or signal).
   */
  private static List<HistoryEvent> workflowTasksAfterFirstApproval(List<HistoryEvent> events) {
    int approval = 0;
    while (approval < events.size()
        && events.get(approval).getEventType()
            != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
        && events.get(approval).getEventType()
            != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
      approval++;
    }
    return events.subList(Math.min(approval, events.size()), events.size()).stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
        .toList();
  }

  private static List<HistoryEvent> events(WorkflowClient client, String workflowId) {
    return client.fetchHistory(workflowId).getEvents();
  }

  private static void terminateQuietly(WorkflowClient client, String rotationId) {
    try {
      client.newUntypedWorkflowStub(RotationWorkflow.workflowId(rotationId)).terminate("test over");
    } catch (RuntimeException alreadyClosed) {
      // nothing to stop
    }
  }
}
