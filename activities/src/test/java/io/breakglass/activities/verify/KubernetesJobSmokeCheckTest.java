package io.breakglass.activities.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.KubernetesJobCheckConfig;
import io.breakglass.activities.testing.KubernetesWorkload;
import io.breakglass.workflows.activities.VerificationActivities.CheckResult;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The {@code kubernetes-job} smoke check against Fabric8's mock API server in CRUD mode. The mock
 * stores objects but runs nothing, so each test plays the Job controller and the kubelet: once the
 * check has created its Job, the test creates the Job's pod (labelled {@code job-name}, as the
 * controller does) with its container terminated with an exit code, serves the pod's log, and marks
 * the Job succeeded or failed in its status.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesJobSmokeCheckTest {

  private static final String NAMESPACE = "clinic";
  private static final String KEY_LIKE = "q3Vx0bUu7Jm9dZk2o8Yc1TgH5rLpNwXe4sAfBiC6DjE=";

  KubernetesMockServer server;
  KubernetesClient client;

  private CheckResult runWhileTheClusterAnswers(
      int exitCode, String log, Duration timeout, AtomicReference<Job> created) throws Exception {
    KubernetesJobCheckConfig config =
        new KubernetesJobCheckConfig(
            NAMESPACE,
            "registry.example.invalid/maintenance:7",
            List.of("pytest", "tests/test_security_controls.py"),
            null,
            timeout,
            3);
    CompletableFuture<CheckResult> result =
        CompletableFuture.supplyAsync(
            () ->
                new KubernetesJobSmokeCheck(client, Duration.ofMillis(50))
                    .run(
                        HttpCheckConfig.kubernetesJob("security controls", config, null),
                        () -> {}));
    if (exitCode >= 0) {
      Job job = awaitJob();
      created.set(job);
      String name = job.getMetadata().getName();
      String pod = name + "-x7k2p";
      client
          .pods()
          .inNamespace(NAMESPACE)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(pod)
                  .addToLabels(KubernetesJobSmokeCheck.JOB_NAME_LABEL, name)
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("check")
                  .withImage("registry.example.invalid/maintenance:7")
                  .endContainer()
                  .endSpec()
                  .withNewStatus()
                  .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                  .addNewContainerStatus()
                  .withName("check")
                  .withNewState()
                  .withNewTerminated()
                  .withExitCode(exitCode)
                  .endTerminated()
                  .endState()
                  .endContainerStatus()
                  .endStatus()
                  .build())
          .create();
      server
          .expect()
          .get()
          .withPath(KubernetesWorkload.logPath(NAMESPACE, pod, "check", 3))
          .andReturn(200, log)
          .always();
      job.setStatus(
          exitCode == 0
              ? new JobStatusBuilder().withSucceeded(1).build()
              : new JobStatusBuilder().withFailed(1).build());
      client.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).updateStatus();
    }
    return result.get(30, TimeUnit.SECONDS);
  }

  private Job awaitJob() {
    return await("the check creates a Job")
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(25))
        .until(
            () -> client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems(),
            jobs -> !jobs.isEmpty())
        .get(0);
  }

  @Test
  void aJobWhosePodExitsWithZero_passes_withItsExitCodeAndLastLogLines_andTheJobIsDeleted()
      throws Exception {
    AtomicReference<Job> created = new AtomicReference<>();
    CheckResult result =
        runWhileTheClusterAnswers(
            0, "collected 7 items\n.......\n7 passed in 0.41s\n", Duration.ofSeconds(20), created);

    assertThat(result.passed()).isTrue();
    assertThat(result.detail())
        .startsWith("job " + NAMESPACE + "/" + created.get().getMetadata().getName())
        .contains("succeeded, exit code 0", "7 passed in 0.41s");
    Job job = created.get();
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(20L);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getImage()).isEqualTo("registry.example.invalid/maintenance:7");
              assertThat(c.getCommand())
                  .containsExactly("pytest", "tests/test_security_controls.py");
              assertThat(c.getEnv()).isEmpty();
            });
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
        .as("deleted")
        .isEmpty();
  }

  /** Negative control: the same Job whose pod exits with 1 fails the check, and is deleted too. */
  @Test
  void aJobWhosePodExitsNonZero_fails_namingTheExitCode_withRedactedLogLines() throws Exception {
    AtomicReference<Job> created = new AtomicReference<>();
    CheckResult result =
        runWhileTheClusterAnswers(
            1,
            "FAILED test_session_refuses_a_forged_token\nkey was "
                + KEY_LIKE
                + "\n1 failed, 6 passed\n",
            Duration.ofSeconds(20),
            created);

    assertThat(result.passed()).isFalse();
    assertThat(result.detail())
        .contains(
            "failed, exit code 1",
            "FAILED test_session_refuses_a_forged_token",
            "key was [redacted]",
            "1 failed, 6 passed")
        .doesNotContain(KEY_LIKE);
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
  }

  @Test
  void aJobThatNeverFinishes_failsAtItsTimeout_andIsDeleted() throws Exception {
    CheckResult result =
        runWhileTheClusterAnswers(-1, null, Duration.ofSeconds(1), new AtomicReference<>());

    assertThat(result.passed()).isFalse();
    assertThat(result.detail()).endsWith("not finished within PT1S");
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
  }

  @Test
  void withoutAKubernetesClient_theCheckFails_sayingSo() {
    KubernetesJobCheckConfig config =
        new KubernetesJobCheckConfig(NAMESPACE, "img", List.of("true"), null, null, null);
    CheckResult result =
        new KubernetesJobSmokeCheck(null, Duration.ofMillis(50))
            .run(HttpCheckConfig.kubernetesJob("job", config, null), () -> {});

    assertThat(result.passed()).isFalse();
    assertThat(result.detail()).isEqualTo("no Kubernetes client is configured on this worker");
  }
}
