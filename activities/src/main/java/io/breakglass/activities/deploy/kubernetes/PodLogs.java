package io.breakglass.activities.deploy.kubernetes;

import io.breakglass.activities.logscan.LogSource;
import io.breakglass.workflows.RotationErrors;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The logs of a Deployment's pods as log-scan sources: one per container of every pod its label
 * selector finds now. Listed at each scan, because a rolling restart replaces the pods.
 */
public final class PodLogs {

  private final KubernetesClient client;
  private final String namespace;
  private final String deployment;

  public PodLogs(KubernetesClient client, String namespace, String deployment) {
    this.client = client;
    this.namespace = namespace;
    this.deployment = deployment;
  }

  /** A source per container of the Deployment's current pods, in pod then container order. */
  public List<LogSource> sources() {
    Deployment found =
        client.apps().deployments().inNamespace(namespace).withName(deployment).get();
    if (found == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "deployment " + namespace + "/" + deployment + " does not exist");
    }
    List<Pod> pods =
        new ArrayList<>(
            client
                .pods()
                .inNamespace(namespace)
                .withLabels(found.getSpec().getSelector().getMatchLabels())
                .list()
                .getItems());
    pods.sort(Comparator.comparing(pod -> pod.getMetadata().getName()));
    List<LogSource> sources = new ArrayList<>();
    for (Pod pod : pods) {
      for (Container container : pod.getSpec().getContainers()) {
        sources.add(
            new ContainerLog(client, namespace, pod.getMetadata().getName(), container.getName()));
      }
    }
    return sources;
  }
}
