package io.breakglass.worker.crash;

import io.breakglass.activities.testing.ChildJvm;
import io.breakglass.worker.TemporalConfig;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.rotation.Operator;
import io.breakglass.worker.rotation.RotationTests;
import io.breakglass.worker.rotation.Testbed;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.values.GateName;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Testbed} whose rotations run as in production, in processes of their own: a Temporal
 * server process and worker processes on a task queue of this testbed's own. The test JVM holds the
 * data (PostgreSQL, files, secret store) and only starts rotations and plays the humans, through a
 * client. Workers reach the databases as {@value Testbed#BREAKGLASS_APPLICATION}, as the testbed's
 * own activities do. Worker output goes to {@code <identity>.log} in the testbed's folder.
 */
final class ProcessTestbed implements AutoCloseable {

  private static final String BREAKGLASS = Testbed.BREAKGLASS_APPLICATION;

  private final Testbed testbed;
  private final String target;
  private final String taskQueue;
  private final Path settings;
  private final TemporalConnection connection;
  private final List<WorkerProcess> workers = new ArrayList<>();

  /**
   * A testbed served by {@code server}; its workers poll {@code taskQueue}, which nobody else uses.
   */
  ProcessTestbed(Testbed testbed, ServerProcess server, String taskQueue) {
    this(testbed, server.target(), taskQueue);
  }

  /** A testbed served by the Temporal server at {@code target} (host:port, namespace default). */
  ProcessTestbed(Testbed testbed, String target, String taskQueue) {
    this.testbed = testbed;
    this.target = target;
    this.taskQueue = taskQueue;
    this.settings = testbed.root.resolve("settings.json");
    SettingsFile.write(testbed.settings, settings);
    this.connection = TemporalConnection.open(TemporalConfig.plaintext(target));
  }

  /**
   * Starts a worker that runs at most {@code maxActivities} activities at once (0: the SDK's
   * default).
   */
  WorkerProcess startWorker(String identity, int maxActivities) throws Exception {
    return start(identity, List.of(WorkerMain.MAX_ACTIVITIES, Integer.toString(maxActivities)));
  }

  /** Starts a worker that halts at {@code stop} (see {@link WorkerProcess#awaitStopPoint}). */
  WorkerProcess startWorker(String identity, StopPoint stop) throws Exception {
    Path marker = marker(identity);
    return start(
        identity, List.of(WorkerMain.STOP, stop.toString(), WorkerMain.MARKER, marker.toString()));
  }

  private WorkerProcess start(String identity, List<String> options) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                WorkerMain.TEMPORAL,
                target,
                WorkerMain.TASK_QUEUE,
                taskQueue,
                WorkerMain.IDENTITY,
                identity,
                WorkerMain.SETTINGS,
                settings.toString(),
                WorkerMain.DATABASE,
                Testbed.APP_DATABASE + "=" + testbed.app.url(BREAKGLASS),
                WorkerMain.BREAKGLASS_DATABASE,
                testbed.breakglass.url(BREAKGLASS)));
    args.addAll(options);
    WorkerProcess worker =
        new WorkerProcess(
            identity,
            ChildJvm.start(
                WorkerMain.class,
                testbed.root.resolve(identity + ".log"),
                args.toArray(String[]::new)),
            marker(identity));
    workers.add(worker);
    return worker;
  }

  private Path marker(String identity) {
    return testbed.root.resolve(identity + ".stopped");
  }

  /**
   * Starts an emergency rotation of {@code secrets} (initiator alice) on this testbed's task queue,
   * and an operator who approves the PROCEED gate as bob and the REVOKE gate as carol. Close the
   * operator.
   */
  Operator startRotation(String rotationId, String... secrets) {
    RotationWorkflow rotation =
        client()
            .newWorkflowStub(
                RotationWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(taskQueue)
                    .setWorkflowId(RotationWorkflow.workflowId(rotationId))
                    .build());
    WorkflowClient.start(rotation::rotate, RotationTests.emergency(rotationId, secrets));
    return new Operator(client(), rotationId)
        .approves(GateName.PROCEED, "bob")
        .approves(GateName.REVOKE, "carol")
        .start();
  }

  WorkflowClient client() {
    return connection.client();
  }

  /** Kills every worker still running and disconnects; the server stays up. */
  @Override
  public void close() {
    workers.forEach(WorkerProcess::close);
    connection.close();
  }
}
