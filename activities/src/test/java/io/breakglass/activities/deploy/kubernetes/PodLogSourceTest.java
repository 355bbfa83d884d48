package io.breakglass.activities.deploy.kubernetes;

import static io.breakglass.activities.testing.KubernetesWorkload.DEPLOYMENT;
import static io.breakglass.activities.testing.KubernetesWorkload.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.testing.KubernetesWorkload;
import io.breakglass.activities.verify.LogSource.LogLine;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class PodLogSourceTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void pods() {
    KubernetesWorkload.create(client);
    pod(DEPLOYMENT + "-7f9c-a", DEPLOYMENT, "chart_upload.saved patient_hash=1f2e\nchart_upload.saved patient_hash=9a8b\n");
    pod(DEPLOYMENT + "-7f9c-b", DEPLOYMENT, "chart_upload.saved patient_hash=77aa\n");
    pod("reports-5d4b-a", "reports", "not a line of the backend\n");
  }

  @Test
  void theRecentLinesOfEveryPodOfTheDeployment_areRead_andNoOtherPodsLines() {
    List<LogLine> lines = new PodLogSource(client, NAMESPACE, DEPLOYMENT).recentLines(2);

    assertThat(lines).containsExactlyInAnyOrder(
        new LogLine(NAMESPACE + "/" + DEPLOYMENT + "-7f9c-a/app", "chart_upload.saved patient_hash=1f2e"),
        new LogLine(NAMESPACE + "/" + DEPLOYMENT + "-7f9c-a/app", "chart_upload.saved patient_hash=9a8b"),
        new LogLine(NAMESPACE + "/" + DEPLOYMENT + "-7f9c-b/app", "chart_upload.saved patient_hash=77aa"));
  }

  /** A running pod of {@code app} whose container logged {@code log} (the last 2 lines are served). */
  private void pod(String name, String app, String log) {
    client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
        .withNewMetadata().withName(name).addToLabels("app", app).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("registry.example.invalid/" + app + ":1").endContainer().endSpec()
        .withNewStatus().withPhase("Running").endStatus()
        .build()).create();
    server.expect().get()
        .withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + name + "/log?pretty=false&container=app&tailLines=2")
        .andReturn(200, log).always();
  }
}
