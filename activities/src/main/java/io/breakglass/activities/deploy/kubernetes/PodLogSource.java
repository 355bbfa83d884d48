package io.breakglass.activities.deploy.kubernetes;

import io.breakglass.activities.verify.LogSource;
import io.breakglass.workflows.RotationErrors;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/** The recent log lines of every container of a Deployment's pods (found by its label selector). */
public final class PodLogSource implements LogSource {

  private final KubernetesClient client;
  private final String namespace;
  private final String deployment;

  public PodLogSource(KubernetesClient client, String namespace, String deployment) {
    this.client = client;
    this.namespace = namespace;
    this.deployment = deployment;
  }

  @Override
  public List<LogLine> recentLines(int lines) {
    Deployment found = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
    if (found == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure("deployment " + namespace + "/" + deployment + " does not exist");
    }
    List<LogLine> recent = new ArrayList<>();
    List<Pod> pods = client.pods().inNamespace(namespace)
        .withLabels(found.getSpec().getSelector().getMatchLabels()).list().getItems();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      for (Container container : pod.getSpec().getContainers()) {
        String log = client.pods().inNamespace(namespace).withName(name)
            .inContainer(container.getName()).tailingLines(lines).getLog();
        String source = namespace + "/" + name + "/" + container.getName();
        log.lines().forEach(text -> recent.add(new LogLine(source, text)));
      }
    }
    return recent;
  }
}
