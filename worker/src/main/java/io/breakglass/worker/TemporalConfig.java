package io.breakglass.worker;

import io.breakglass.workflows.RotationWorkflow;
import jakarta.validation.Valid;
import java.time.Duration;

/**
 * How a worker or client reaches Temporal and how the worker polls it. Every field may be left out
 * of the YAML; the defaults reach a local server in plaintext.
 *
 * <pre>{@code
 * temporal:
 *   target: my-ns.a1b2c.tmprl.cloud:7233
 *   namespace: my-ns.a1b2c
 *   tls:
 *     clientCertFile: /etc/breakglass/temporal/tls.crt
 *     clientKeyFile: /etc/breakglass/temporal/tls.key
 * }</pre>
 *
 * @param target {@code host:port} of the Temporal frontend (default {@value #DEFAULT_TARGET})
 * @param namespace the Temporal namespace (default {@value #DEFAULT_NAMESPACE})
 * @param tls TLS settings; null means plaintext
 * @param apiKeyEnv the NAME of the environment variable that holds a Temporal Cloud API key; the
 *     key itself never appears in configuration. Requires {@code tls}.
 * @param disableStickyExecution send every workflow task to the shared task queue instead of the
 *     worker that ran the previous one. Production servers fall back from a dead worker's sticky
 *     queue on their own; the embedded test server never does, so the embedded mode turns this on.
 * @param taskQueue the task queue the worker polls (default {@value RotationWorkflow#TASK_QUEUE})
 * @param maxConcurrentActivityExecutions activities one worker runs at once (default {@value
 *     #DEFAULT_MAX_CONCURRENT_ACTIVITY_EXECUTIONS}, the SDK's default)
 * @param shutdownGrace how long a stopping worker lets running activities finish before it
 *     interrupts them (ISO-8601, default 30 s); match it to the pod's termination grace period
 * @param codec the keys of the payload codec; null stores payloads as plain JSON in Temporal
 * @param deployment the Worker Deployment this worker is a build of; null runs it unversioned
 * @param registerSearchAttributes let the worker add the {@code RotationSearchAttributes} its
 *     namespace lacks when it starts; without it a worker refuses to start on such a namespace
 */
public record TemporalConfig(
    String target,
    String namespace,
    TlsConfig tls,
    String apiKeyEnv,
    boolean disableStickyExecution,
    String taskQueue,
    int maxConcurrentActivityExecutions,
    Duration shutdownGrace,
    @Valid CodecConfig codec,
    WorkerDeploymentConfig deployment,
    boolean registerSearchAttributes) {

  public static final String DEFAULT_TARGET = "127.0.0.1:7233";
  public static final String DEFAULT_NAMESPACE = "default";
  public static final int DEFAULT_MAX_CONCURRENT_ACTIVITY_EXECUTIONS = 200;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  public TemporalConfig {
    target = blankToNull(target) == null ? DEFAULT_TARGET : target.strip();
    namespace = blankToNull(namespace) == null ? DEFAULT_NAMESPACE : namespace.strip();
    apiKeyEnv = blankToNull(apiKeyEnv);
    taskQueue = blankToNull(taskQueue) == null ? RotationWorkflow.TASK_QUEUE : taskQueue.strip();
    if (maxConcurrentActivityExecutions < 0) {
      throw new IllegalArgumentException(
          "temporal.maxConcurrentActivityExecutions must be positive, got "
              + maxConcurrentActivityExecutions);
    }
    maxConcurrentActivityExecutions =
        maxConcurrentActivityExecutions == 0
            ? DEFAULT_MAX_CONCURRENT_ACTIVITY_EXECUTIONS
            : maxConcurrentActivityExecutions;
    if (shutdownGrace != null && shutdownGrace.isNegative()) {
      throw new IllegalArgumentException(
          "temporal.shutdownGrace must not be negative, got " + shutdownGrace);
    }
    shutdownGrace = shutdownGrace == null ? DEFAULT_SHUTDOWN_GRACE : shutdownGrace;
  }

  /** A configuration without a payload codec, unversioned, registering no search attributes. */
  public TemporalConfig(
      String target,
      String namespace,
      TlsConfig tls,
      String apiKeyEnv,
      boolean disableStickyExecution,
      String taskQueue,
      int maxConcurrentActivityExecutions,
      Duration shutdownGrace) {
    this(
        target,
        namespace,
        tls,
        apiKeyEnv,
        disableStickyExecution,
        taskQueue,
        maxConcurrentActivityExecutions,
        shutdownGrace,
        null,
        null,
        false);
  }

  /** A plaintext connection to {@code target} with every other setting at its default. */
  public static TemporalConfig plaintext(String target) {
    return new TemporalConfig(target, null, null, null, false, null, 0, null);
  }

  /** This configuration with sticky execution turned off (see {@code disableStickyExecution}). */
  public TemporalConfig withStickyExecutionDisabled() {
    return new TemporalConfig(
        target,
        namespace,
        tls,
        apiKeyEnv,
        true,
        taskQueue,
        maxConcurrentActivityExecutions,
        shutdownGrace,
        codec,
        deployment,
        registerSearchAttributes);
  }

  /** This configuration with the payload codec {@code codec}. */
  public TemporalConfig withCodec(CodecConfig codec) {
    return new TemporalConfig(
        target,
        namespace,
        tls,
        apiKeyEnv,
        disableStickyExecution,
        taskQueue,
        maxConcurrentActivityExecutions,
        shutdownGrace,
        codec,
        deployment,
        registerSearchAttributes);
  }

  /** This configuration as a build of the Worker Deployment {@code deployment}. */
  public TemporalConfig withDeployment(WorkerDeploymentConfig deployment) {
    return new TemporalConfig(
        target,
        namespace,
        tls,
        apiKeyEnv,
        disableStickyExecution,
        taskQueue,
        maxConcurrentActivityExecutions,
        shutdownGrace,
        codec,
        deployment,
        registerSearchAttributes);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
