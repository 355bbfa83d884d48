package io.breakglass.worker;

import io.breakglass.worker.tracing.Tracing;
import io.breakglass.workflows.ReencryptDataSetWorkflowImpl;
import io.breakglass.workflows.RevokeRecoveryWorkflowImpl;
import io.breakglass.workflows.RotationWorkflowImpl;
import io.breakglass.workflows.RoutineRotationWorkflowImpl;
import io.breakglass.workflows.ScheduledRoutineRotationWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.common.VersioningBehavior;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerDeploymentOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started Temporal worker on the configured task queue: the workflow types plus the shared,
 * thread-safe activity instances it was given.
 *
 * <p>{@link #close()} stops gracefully: polling stops at once, running tasks get {@link
 * TemporalConfig#shutdownGrace()} to finish, whatever still runs is then interrupted. An activity
 * that heartbeats learns of the stop at its next heartbeat ({@code
 * ActivityWorkerShutdownException}) and is retried on another worker from its last checkpoint.
 *
 * <p>With {@link TemporalConfig#deployment()} the worker is a versioned build of that Worker
 * Deployment: each workflow type declares how it moves between builds, and a rotation (with its
 * re-encryption children and a revoke recovery) is pinned to the build that started it.
 */
public final class BreakglassWorker implements AutoCloseable {

  /** The workflow types a Breakglass worker hosts. */
  public static final List<Class<?>> WORKFLOW_TYPES =
      List.of(
          RotationWorkflowImpl.class,
          ReencryptDataSetWorkflowImpl.class,
          RoutineRotationWorkflowImpl.class,
          ScheduledRoutineRotationWorkflowImpl.class,
          RevokeRecoveryWorkflowImpl.class);

  /** How long {@link #close()} waits for interrupted tasks after the grace period. */
  private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(BreakglassWorker.class);

  private final WorkerFactory factory;
  private final Worker worker;
  private final String taskQueue;
  private final Duration shutdownGrace;

  private BreakglassWorker(
      WorkerFactory factory, Worker worker, String taskQueue, Duration shutdownGrace) {
    this.factory = factory;
    this.worker = worker;
    this.taskQueue = taskQueue;
    this.shutdownGrace = shutdownGrace;
  }

  /** Starts a worker with the Breakglass workflow types ({@link #WORKFLOW_TYPES}). */
  public static BreakglassWorker start(
      WorkflowClient client, TemporalConfig config, List<?> activities) {
    return start(client, config, WORKFLOW_TYPES, activities);
  }

  /**
   * Starts a worker with the Breakglass workflow types; their runs and activities make spans of
   * {@code tracing} (none when it is off).
   */
  public static BreakglassWorker start(
      WorkflowClient client, TemporalConfig config, List<?> activities, Tracing tracing) {
    List<WorkerInterceptor> interceptors = new ArrayList<>(tracing.workerInterceptors());
    interceptors.add(new LogContextInterceptor());
    return start(client, config, WORKFLOW_TYPES, activities, interceptors);
  }

  /**
   * Starts a worker with the given workflow implementation types.
   *
   * @param client a client built with {@code BreakglassDataConverter}, e.g. {@link
   *     TemporalConnection#client()}; its metrics scope also receives the worker's metrics
   * @param activities activity implementation objects, shared by all executions
   */
  public static BreakglassWorker start(
      WorkflowClient client,
      TemporalConfig config,
      List<Class<?>> workflowTypes,
      List<?> activities) {
    return start(client, config, workflowTypes, activities, List.of(new LogContextInterceptor()));
  }

  /**
   * Starts a worker with the given workflow implementation types and worker interceptors; the other
   * overloads run {@link LogContextInterceptor}, which puts a rotation's fields on its log lines.
   */
  public static BreakglassWorker start(
      WorkflowClient client,
      TemporalConfig config,
      List<Class<?>> workflowTypes,
      List<?> activities,
      List<? extends WorkerInterceptor> interceptors) {
    WorkerFactory factory =
        WorkerFactory.newInstance(
            client,
            WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(interceptors.toArray(WorkerInterceptor[]::new))
                .build());
    Worker worker = factory.newWorker(config.taskQueue(), workerOptions(config));
    worker.registerWorkflowImplementationTypes(workflowTypes.toArray(Class<?>[]::new));
    if (!activities.isEmpty()) {
      worker.registerActivitiesImplementations(activities.toArray());
    }
    factory.start();
    log.info(
        "worker polling task queue {} in namespace {} (sticky execution {}; {})",
        config.taskQueue(),
        client.getOptions().getNamespace(),
        config.disableStickyExecution() ? "off" : "on",
        config.deployment() == null
            ? "unversioned"
            : "Worker Deployment "
                + config.deployment().name()
                + ", build "
                + config.deployment().buildId());
    return new BreakglassWorker(factory, worker, config.taskQueue(), config.shutdownGrace());
  }

  static WorkerOptions workerOptions(TemporalConfig config) {
    WorkerOptions.Builder options =
        WorkerOptions.newBuilder()
            .setMaxConcurrentActivityExecutionSize(config.maxConcurrentActivityExecutions());
    if (config.disableStickyExecution()) {
      // A zero timeout makes the SDK omit sticky attributes, so every workflow task goes to the
      // shared queue and survives the death of the worker that ran the previous one.
      options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }
    if (config.deployment() != null) {
      // Pinned through the deployment default, not annotations on the workflow classes: the SDK
      // sends an annotated behaviour from unversioned workers too, and the server then refuses
      // every workflow task ("versioning behavior cannot be specified without deployment
      // options"). Every type is pinned: a rotation ends on the build that started it. The
      // months-long routine timer runs only where the server has no Schedules, and a server with
      // Worker Deployments has them, so no timer holds an old build.
      options.setDeploymentOptions(
          WorkerDeploymentOptions.newBuilder()
              .setUseVersioning(true)
              .setVersion(config.deployment().version())
              .setDefaultVersioningBehavior(VersioningBehavior.PINNED)
              .build());
    }
    return options.build();
  }

  /** Whether the worker has started polling (it may have stopped since). */
  public boolean isStarted() {
    return factory.isStarted();
  }

  /** Whether the worker is shut down or shutting down: it polls no more. */
  public boolean isShutdown() {
    return factory.isShutdown() || factory.isTerminated();
  }

  /** Whether polling is suspended ({@link #suspendPolling()}). */
  public boolean isSuspended() {
    return worker.isSuspended();
  }

  /**
   * Stops asking Temporal for new tasks; running tasks go on. {@link #resumePolling()} undoes it.
   */
  public void suspendPolling() {
    factory.suspendPolling();
  }

  /** Polls again after {@link #suspendPolling()}. */
  public void resumePolling() {
    factory.resumePolling();
  }

  /** The task queue this worker polls. */
  public String taskQueue() {
    return taskQueue;
  }

  /**
   * Stops polling and interrupts running tasks without waiting: what the server sees when a worker
   * process dies, short of the process dying.
   */
  public void shutdownNow() {
    factory.shutdownNow();
  }

  /** Stops gracefully (see the class comment); returns when the worker has stopped or given up. */
  @Override
  public void close() {
    if (factory.isTerminated()) {
      return;
    }
    log.info("worker on {} stopping; running tasks get {}", taskQueue, shutdownGrace);
    factory.shutdown();
    factory.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.warn("worker on {} busy after {}; interrupting its tasks", taskQueue, shutdownGrace);
      factory.shutdownNow();
      factory.awaitTermination(INTERRUPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    log.info("worker on {} stopped", taskQueue);
  }
}
