package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.deploy.DeploymentActivitiesImpl;
import io.breakglass.activities.deploy.KeyringDocument;
import io.breakglass.activities.testing.DeploymentController;
import io.breakglass.activities.testing.KubernetesWorkload;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.messages.queries.CompensationState;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.breakglass.workflows.messages.values.RotationState;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole rotation whose {@code backend} deployment runs on (mock) Kubernetes, the test playing the
 * deployment controller: the keyring lives in a Secret, restarts are rolling restarts awaited until
 * ready, and a rollback undoes them.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRotationTest {

  private static final List<String> SECRETS = List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT);

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path root;

  private DeploymentController controller;

  @AfterEach
  void stopController() throws InterruptedException {
    controller.close();
  }

  @Test
  void aRotation_endsWithTheNewVersionsAloneInTheKeyringSecret_afterThreeRollingRestarts(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = start(env, worker, n -> false);

    RotationTests.start(
        client, options, RotationTests.emergency("k8s-1", SECRETS.toArray(String[]::new)));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "k8s-1")
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .start()) {
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(keyringSecret())
        .containsExactlyInAnyOrderElementsOf(
            SECRETS.stream()
                .map(s -> new KeyringEntry(s, VersionIds.forRotation("k8s-1", s), List.of()))
                .toList());
    assertThat(SECRETS)
        .allSatisfy(
            s ->
                assertThat(testbed.current(s).versionId())
                    .isEqualTo(VersionIds.forRotation("k8s-1", s)));
    assertThat(controller.rollouts()).as("creation, DISTRIBUTE, PROMOTE, REVOKE").isEqualTo(4);
    assertThat(templateAnnotations()).containsEntry(KubernetesWorkload.OWN_ANNOTATION, "true");
  }

  @Test
  void aRolloutThatNeverBecomesReady_restoresTheKeyringSecret_andUndoesTheRestart(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = start(env, worker, n -> n == 2);
    Map<String, String> plaintextBefore = testbed.plaintextDigests();

    RotationTests.start(
        client, options, RotationTests.emergency("k8s-2", SECRETS.toArray(String[]::new)));
    RotationStatus end;
    try (Operator operator =
        new Operator(client, "k8s-2").approves(GateName.PROCEED, "bob").start()) {
      end = operator.awaitEnd(Duration.ofMinutes(2));
    }

    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(end.failure()).startsWith("RESTART_FAILED");
    assertThat(end.compensations())
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
    assertThat(keyringSecret())
        .containsExactlyInAnyOrderElementsOf(
            SECRETS.stream()
                .map(s -> new KeyringEntry(s, testbed.initialVersion(s), List.of()))
                .toList());
    assertThat(KubernetesWorkload.deployment(this.client).getSpec().getTemplate())
        .as("undone to the pod template before the DISTRIBUTE restart")
        .isEqualTo(KubernetesWorkload.template());
    assertThat(controller.rollouts()).as("creation, DISTRIBUTE (stuck), undo").isEqualTo(3);
    OldVersions.assertRestored(testbed, "k8s-2", SECRETS, plaintextBefore);
  }

  /**
   * A testbed whose deployment is the Kubernetes workload, rolled out as created, with the real
   * deployment activities on the mock API server; the rollouts {@code stuck} picks never become
   * ready.
   */
  private Testbed start(TestWorkflowEnvironment env, Worker worker, IntPredicate stuck) {
    Testbed testbed = new Testbed(root, DeploymentTargetType.KUBERNETES);
    KubernetesWorkload.create(client);
    controller = new DeploymentController(client, KubernetesWorkload.NAMESPACE, stuck);
    RotationTests.startWorker(
        env,
        worker,
        testbed,
        new DeploymentActivitiesImpl(
            testbed.settings,
            testbed.store,
            DeploymentActivitiesImpl.targets(
                testbed.settings, testbed.store, client, System::getenv, Duration.ofMillis(100))));
    return testbed;
  }

  private List<KeyringEntry> keyringSecret() {
    Secret secret =
        client
            .secrets()
            .inNamespace(KubernetesWorkload.NAMESPACE)
            .withName(KubernetesWorkload.KEYRING_SECRET)
            .get();
    return KeyringDocument.parse(
            Testbed.DEPLOYMENT, Base64.getDecoder().decode(secret.getData().get("keyring.json")))
        .entries();
  }

  private Map<String, String> templateAnnotations() {
    return KubernetesWorkload.deployment(client)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations();
  }
}
