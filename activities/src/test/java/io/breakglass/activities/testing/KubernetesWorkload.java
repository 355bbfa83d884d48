package io.breakglass.activities.testing;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The workload of the Kubernetes tests as an operator would have deployed it: a Deployment of two
 * replicas whose pod template already carries an annotation of its own, and the Secret it reads its
 * keyring from, which also holds a key Breakglass does not own. The names are those of the example
 * in {@code deploy/config/worker.yml}, which the RBAC in {@code deploy/kubernetes} names.
 */
public final class KubernetesWorkload {

  public static final String NAMESPACE = "clinic";
  public static final String DEPLOYMENT = "clinic-web";
  public static final String KEYRING_SECRET = "clinic-web-keyring";

  /** An annotation the pod template had before any restart, which every restart must keep. */
  public static final String OWN_ANNOTATION = "prometheus.io/scrape";

  /** A key of the keyring Secret that is not the keyring. */
  public static final String OTHER_KEY = "feature-flags.json";

  private KubernetesWorkload() {}

  /** Creates the Deployment and the (empty) keyring Secret in {@link #NAMESPACE}. */
  public static Deployment create(KubernetesClient client) {
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(KEYRING_SECRET)
                .endMetadata()
                .addToData(
                    OTHER_KEY,
                    Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8)))
                .build())
        .create();
    return client
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(DEPLOYMENT)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", DEPLOYMENT)
                .endSelector()
                .withTemplate(template())
                .endSpec()
                .build())
        .create();
  }

  /** The pod template as the operator wrote it. */
  public static PodTemplateSpec template() {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", DEPLOYMENT)
        .addToAnnotations(OWN_ANNOTATION, "true")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example.invalid/clinic-web:1")
        .endContainer()
        .endSpec()
        .build();
  }

  /** The Deployment as it is now. */
  /**
   * The path the log of {@code container} in {@code pod} is read at, the last {@code lines} lines,
   * as the mock server must be told to serve it.
   */
  public static String logPath(String namespace, String pod, String container, int lines) {
    return "/api/v1/namespaces/"
        + namespace
        + "/pods/"
        + pod
        + "/log?container="
        + container
        + "&tailLines="
        + lines;
  }

  public static Deployment deployment(KubernetesClient client) {
    return client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).get();
  }
}
