package io.breakglass.worker.bench;

import io.breakglass.worker.BreakglassActivities;
import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.TemporalConfig;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.RotationResult;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A whole emergency rotation of one data key through Temporal: a fresh embedded test server, {@code
 * workers} Breakglass workers in this process with sticky execution on as in production polling its
 * task queue, a bench approver for both gates and no deployment to restart. Only its REENCRYPT
 * phase is timed, from the timeline entry the rotation itself records; its histories are read back
 * from the server before it stops.
 */
final class WorkflowRun {

  static final String INITIATOR = "bench-initiator";
  static final String APPROVER = "bench-approver";

  private static final Duration POLL = Duration.ofMillis(250);

  private WorkflowRun() {}

  /** A rotation's REENCRYPT rate, what its histories hold, and its shards' times. */
  record Rotation(Rate rate, HistoryBudget history, ShardTimes shards) {}

  /**
   * Rotates {@code secret} to its end, calling {@code beforeApproving} with each gate just before
   * approving it, and reads every history the rotation wrote.
   *
   * @param timeout how long the whole rotation (backup and scans included) may take
   * @throws IllegalStateException when it does not complete
   */
  static Rotation run(
      BenchStack stack,
      String secret,
      int workers,
      Duration timeout,
      Consumer<GateName> beforeApproving) {
    String rotationId = "bench-" + workers + "w-" + UUID.randomUUID();
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      // The embedded stack turns sticky execution off only because the test server never moves a
      // dead worker's tasks back to the shared queue; no worker dies here, and production runs
      // sticky, where a workflow task replays nothing it has already run.
      TemporalConfig config = TemporalConfig.plaintext(temporal.target());
      TemporalConnection connection = TemporalConnection.open(config);
      List<BreakglassWorker> started = new ArrayList<>();
      try {
        for (int i = 1; i <= workers; i++) {
          BreakglassActivities activities =
              BreakglassActivities.create(
                  stack.settings(),
                  stack.store(),
                  Map.of(DevSettings.APP_DATABASE, stack.app()),
                  stack.breakglass(),
                  "bench-worker-" + i);
          started.add(BreakglassWorker.start(connection.client(), config, activities.activities()));
        }
        RotationResult result =
            rotate(
                connection.client(),
                config.taskQueue(),
                rotationId,
                secret,
                timeout,
                beforeApproving);
        TimelineEntry reencrypt =
            result.timeline().stream()
                .filter(
                    e -> e.phase() == Phase.REENCRYPT && e.outcome() == TimelineOutcome.SUCCEEDED)
                .filter(e -> e.startedAt() != null && e.endedAt() != null)
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException(rotationId + ": no REENCRYPT entry"));
        Rate rate =
            new Rate(
                "workflow, " + workers + (workers == 1 ? " worker" : " workers"),
                result.itemsReencrypted(),
                Duration.between(reencrypt.startedAt(), reencrypt.endedAt()));
        List<RotationHistories.Run> histories =
            RotationHistories.read(connection.client(), RotationWorkflow.workflowId(rotationId));
        return new Rotation(
            rate,
            HistoryBudget.of(histories, result.itemsReencrypted()),
            ShardTimes.of(histories, BenchSettings.PARALLEL));
      } finally {
        started.forEach(BreakglassWorker::close);
        connection.close();
      }
    }
  }

  /** Starts the rotation and plays its approver until it ends. */
  private static RotationResult rotate(
      WorkflowClient client,
      String taskQueue,
      String rotationId,
      String secret,
      Duration timeout,
      Consumer<GateName> beforeApproving) {
    RotationWorkflow rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setWorkflowId(RotationWorkflow.workflowId(rotationId))
                .build());
    WorkflowClient.start(
        rotation::rotate,
        new RotationRequest(
            rotationId,
            List.of(secret),
            RotationKind.EMERGENCY,
            INITIATOR,
            "bench: time the re-encryption of a whole data set",
            null,
            null));
    Set<GateName> approved = EnumSet.noneOf(GateName.class);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      RotationStatus status = rotation.status();
      if (status.state().terminal()) {
        return WorkflowStub.fromTyped(rotation).getResult(RotationResult.class);
      }
      if (status.pendingDecision() != null) {
        throw new IllegalStateException(
            rotationId + " needs a decision: " + status.pendingDecision().reason());
      }
      GateView gate = status.pendingGate();
      if (gate != null && approved.add(gate.gate())) {
        beforeApproving.accept(gate.gate());
        rotation.decide(new GateDecision(gate.gate(), Verdict.APPROVE, APPROVER, "bench"));
      }
      sleep(POLL);
    }
    throw new IllegalStateException(rotationId + " did not end within " + timeout);
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the rotation", e);
    }
  }
}
