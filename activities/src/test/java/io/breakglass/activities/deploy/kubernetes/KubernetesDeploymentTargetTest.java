package io.breakglass.activities.deploy.kubernetes;

import static io.breakglass.activities.testing.KubernetesWorkload.DEPLOYMENT;
import static io.breakglass.activities.testing.KubernetesWorkload.KEYRING_SECRET;
import static io.breakglass.activities.testing.KubernetesWorkload.NAMESPACE;
import static io.breakglass.activities.testing.KubernetesWorkload.OWN_ANNOTATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.KubernetesTarget;
import io.breakglass.activities.testing.DeploymentController;
import io.breakglass.activities.testing.KubernetesWorkload;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.DeploymentActivities.RestartOutcome;
import io.breakglass.workflows.activities.DeploymentActivities.RestartStatus;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rolling restarts, rollout waits and undo against the mock API server, the test playing the
 * controller.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesDeploymentTargetTest {

  KubernetesMockServer server;
  KubernetesClient client;

  private final List<RolloutProgress> heartbeats = new CopyOnWriteArrayList<>();
  private DeploymentController controller;

  @BeforeEach
  void workload() {
    KubernetesWorkload.create(client);
  }

  @AfterEach
  void stopController() throws InterruptedException {
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void aRestart_keepsTheTemplatesOwnAnnotations_andReturnsOnceEveryReplicaIsReady() {
    startController(n -> false);

    RestartOutcome outcome = target(Duration.ofSeconds(20)).restart("r1", "DISTRIBUTE");

    Deployment after = KubernetesWorkload.deployment(client);
    Map<String, String> annotations = after.getSpec().getTemplate().getMetadata().getAnnotations();
    assertThat(outcome.status()).isEqualTo(RestartStatus.COMPLETED);
    assertThat(annotations)
        .containsEntry(OWN_ANNOTATION, "true")
        .containsKey(RollingRestart.RESTARTED_AT)
        .containsEntry(RollingRestart.RESTART, "r1: DISTRIBUTE")
        .containsEntry(RollingRestart.RESTARTED_FROM, "1");
    assertThat(Rollout.progress(after).complete()).isTrue();
    assertThat(after.getMetadata().getAnnotations()).containsEntry(RollingRestart.REVISION, "2");
    assertThat(heartbeats).as("progress was heartbeated while waiting").isNotEmpty();
    assertThat(heartbeats.get(heartbeats.size() - 1).complete()).isTrue();
  }

  @Test
  void aRetriedRestart_doesNotRestartTheDeploymentAgain() {
    startController(n -> false);
    target(Duration.ofSeconds(20)).restart("r1", "DISTRIBUTE");
    long generation = KubernetesWorkload.deployment(client).getMetadata().getGeneration();

    target(Duration.ofSeconds(20)).restart("r1", "DISTRIBUTE");

    assertThat(KubernetesWorkload.deployment(client).getMetadata().getGeneration())
        .isEqualTo(generation);
    assertThat(controller.rollouts()).isEqualTo(2);
  }

  @Test
  void aRolloutThatNeverBecomesReady_failsTheRestartWithRestartFailed() {
    startController(n -> n == 2);

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> target(Duration.ofSeconds(20)).restart("r1", "DISTRIBUTE"));

    assertThat(failure.getType()).isEqualTo(RotationErrors.RESTART_FAILED.name());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains(NAMESPACE + "/" + DEPLOYMENT, "progress deadline");
  }

  @Test
  void aRolloutStillUnderWayWhenTheTimeoutPasses_failsTheRestartWithRestartFailed() {
    startController(n -> false);
    stopControllerNow();

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> target(Duration.ofMillis(600)).restart("r1", "DISTRIBUTE"));

    assertThat(failure.getType()).isEqualTo(RotationErrors.RESTART_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains("not done within");
  }

  @Test
  void anUndo_putsBackThePodTemplateOfTheRevisionBeforeTheRestart_andWaitsForIt() {
    startController(n -> n == 2);
    assertThatExceptionOfType(ApplicationFailure.class)
        .isThrownBy(() -> target(Duration.ofSeconds(20)).restart("r1", "DISTRIBUTE"));

    RestartOutcome undone = target(Duration.ofSeconds(20)).undoRestart("r1", "DISTRIBUTE");

    Deployment after = KubernetesWorkload.deployment(client);
    assertThat(after.getSpec().getTemplate()).isEqualTo(KubernetesWorkload.template());
    assertThat(undone.detail()).contains("revision 1");
    assertThat(Rollout.progress(after).complete()).isTrue();
    assertThat(after.getMetadata().getAnnotations())
        .as("the controller reused revision 1's ReplicaSet under a new revision")
        .containsEntry(RollingRestart.REVISION, "3");
  }

  @Test
  void twoRestartsUndoneInReverse_endOnTheOriginalTemplate() {
    startController(n -> false);
    target(Duration.ofSeconds(20)).restart("r1", "DISTRIBUTE");
    Map<String, String> distributed = templateAnnotations();
    target(Duration.ofSeconds(20)).restart("r1", "PROMOTE");

    target(Duration.ofSeconds(20)).undoRestart("r1", "PROMOTE");
    assertThat(templateAnnotations()).isEqualTo(distributed);
    target(Duration.ofSeconds(20)).undoRestart("r1", "DISTRIBUTE");

    assertThat(KubernetesWorkload.deployment(client).getSpec().getTemplate())
        .isEqualTo(KubernetesWorkload.template());
  }

  @Test
  void negativeControl_undoingARestartThatNeverHappened_changesNothing() {
    startController(n -> false);
    target(Duration.ofSeconds(20)).restart("r1", "DISTRIBUTE");
    Deployment before = KubernetesWorkload.deployment(client);

    RestartOutcome outcome = target(Duration.ofSeconds(20)).undoRestart("r1", "PROMOTE");

    assertThat(outcome.detail()).contains("no restart");
    assertThat(KubernetesWorkload.deployment(client).getSpec()).isEqualTo(before.getSpec());
    assertThat(KubernetesWorkload.deployment(client).getMetadata().getGeneration())
        .isEqualTo(before.getMetadata().getGeneration());
  }

  private Map<String, String> templateAnnotations() {
    return KubernetesWorkload.deployment(client)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations();
  }

  /**
   * Starts the controller and waits until it has rolled out the Deployment as created (rollout 1).
   */
  private void startController(IntPredicate stuck) {
    controller = new DeploymentController(client, NAMESPACE, stuck);
    new Rollout(client, NAMESPACE, DEPLOYMENT, Duration.ofMillis(20))
        .await(Duration.ofSeconds(10), p -> {});
  }

  private void stopControllerNow() {
    try {
      controller.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    controller = null;
  }

  private KubernetesDeploymentTarget target(Duration rolloutTimeout) {
    DeploymentConfig config =
        new DeploymentConfig(
            DEPLOYMENT,
            DeploymentTargetType.KUBERNETES,
            List.of("jwt"),
            null,
            new KubernetesTarget(NAMESPACE, DEPLOYMENT, KEYRING_SECRET, rolloutTimeout));
    return new KubernetesDeploymentTarget(config, client, heartbeats::add, Duration.ofMillis(50));
  }
}
