package io.breakglass.activities.verify;

import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.KubernetesJobCheckConfig;
import io.breakglass.activities.deploy.kubernetes.ContainerLogTail;
import io.breakglass.workflows.activities.VerificationActivities.CheckResult;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Runs a smoke check of kind {@code kubernetes-job}: creates a Job that runs the configured command
 * in the configured image once (no retries, its deadline the check's timeout), waits until the Job
 * controller marks it succeeded or failed, reads its pod's exit code and last log lines (bounded
 * and redacted as {@link OutputTail} does), and deletes the Job with its pods whatever happened.
 * The Job carries no secret from Breakglass and mounts no service-account token unless one is
 * configured.
 */
final class KubernetesJobSmokeCheck {

  /** The container's name in the Job's pod. */
  static final String CONTAINER = "check";

  /** The label the Job controller puts on a Job's pods. */
  static final String JOB_NAME_LABEL = "job-name";

  /** The label that marks Breakglass's smoke-check Jobs. */
  static final String CHECK_LABEL = "breakglass.io/smoke-check";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KubernetesClient client;
  private final Duration poll;

  /**
   * @param client null when the worker has no Kubernetes client: every such check then fails,
   *     saying so
   */
  KubernetesJobSmokeCheck(KubernetesClient client, Duration poll) {
    this.client = client;
    this.poll = poll;
  }

  /** Runs {@code check}, calling {@code heartbeat} at every poll. */
  CheckResult run(HttpCheckConfig check, Runnable heartbeat) {
    KubernetesJobCheckConfig config = check.kubernetesJob();
    String name = "breakglass-smoke-" + HexFormat.of().formatHex(randomBytes());
    String where = "job " + config.namespace() + "/" + name + " (" + config.image() + ")";
    if (client == null) {
      return new CheckResult(
          check.name(), false, "no Kubernetes client is configured on this worker");
    }
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(config.namespace())
          .resource(job(name, check.name(), config))
          .create();
    } catch (KubernetesClientException e) {
      return new CheckResult(
          check.name(), false, where + ": cannot create (HTTP " + e.getCode() + ")");
    }
    try {
      return await(check, config, name, where, heartbeat);
    } catch (KubernetesClientException e) {
      return new CheckResult(
          check.name(), false, where + ": the API server refused (HTTP " + e.getCode() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CheckResult(check.name(), false, where + ": interrupted");
    } finally {
      delete(config.namespace(), name);
    }
  }

  private CheckResult await(
      HttpCheckConfig check,
      KubernetesJobCheckConfig config,
      String name,
      String where,
      Runnable heartbeat)
      throws InterruptedException {
    long deadline = System.nanoTime() + config.timeout().toNanos();
    while (true) {
      Job job = client.batch().v1().jobs().inNamespace(config.namespace()).withName(name).get();
      JobStatus status = job == null ? null : job.getStatus();
      boolean succeeded =
          status != null && status.getSucceeded() != null && status.getSucceeded() > 0;
      boolean failed = status != null && status.getFailed() != null && status.getFailed() > 0;
      if (succeeded || failed) {
        return finished(check, config, name, where, succeeded);
      }
      if (job == null) {
        return new CheckResult(
            check.name(), false, where + ": the Job disappeared before it finished");
      }
      if (System.nanoTime() >= deadline) {
        return new CheckResult(
            check.name(), false, where + ": not finished within " + config.timeout());
      }
      heartbeat.run();
      Thread.sleep(poll.toMillis());
    }
  }

  private CheckResult finished(
      HttpCheckConfig check,
      KubernetesJobCheckConfig config,
      String name,
      String where,
      boolean succeeded) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(config.namespace())
            .withLabel(JOB_NAME_LABEL, name)
            .list()
            .getItems();
    if (pods.isEmpty()) {
      return new CheckResult(
          check.name(),
          false,
          where
              + (succeeded ? " succeeded" : " failed")
              + ", but its pod is gone: no exit code or log");
    }
    Pod pod = pods.get(pods.size() - 1);
    Integer exit = exitCode(pod);
    OutputTail tail = new OutputTail(config.tailLines(), List.of());
    if (config.tailLines() > 0) {
      String log =
          ContainerLogTail.read(
              client,
              config.namespace(),
              pod.getMetadata().getName(),
              CONTAINER,
              config.tailLines());
      if (log != null) {
        log.lines().forEach(tail::add);
      }
    }
    boolean passed = succeeded && exit != null && exit == 0;
    return new CheckResult(
        check.name(),
        passed,
        where
            + (succeeded ? " succeeded" : " failed")
            + ", exit code "
            + (exit == null ? "unknown" : exit)
            + "; "
            + tail.describe());
  }

  private static Integer exitCode(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> CONTAINER.equals(s.getName()))
        .map(ContainerStatus::getState)
        .filter(state -> state != null && state.getTerminated() != null)
        .map(state -> state.getTerminated())
        .map(ContainerStateTerminated::getExitCode)
        .findFirst()
        .orElse(null);
  }

  /** Deletes the Job and, in the background, its pods; a failure here leaves it to its TTL. */
  private void delete(String namespace, String name) {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .withName(name)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      // ttlSecondsAfterFinished removes it later; the check's result stands.
    }
  }

  private static Job job(String name, String checkName, KubernetesJobCheckConfig config) {
    long deadlineSeconds = Math.max(1, config.timeout().toSeconds());
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(CHECK_LABEL, label(checkName))
        .addToLabels("app.kubernetes.io/managed-by", "breakglass")
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(deadlineSeconds)
        .withTtlSecondsAfterFinished(600)
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels(CHECK_LABEL, label(checkName))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(config.serviceAccount())
        .withAutomountServiceAccountToken(config.serviceAccount() != null)
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(config.image())
        .withCommand(config.command().isEmpty() ? null : config.command())
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A label value from a check's name: lower-case letters, digits and dashes, at most 63. */
  static String label(String checkName) {
    String value =
        checkName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return value.length() > 63 ? value.substring(0, 63).replaceAll("-+$", "") : value;
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
