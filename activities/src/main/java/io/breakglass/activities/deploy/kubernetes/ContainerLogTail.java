package io.breakglass.activities.deploy.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The last lines of one container's log, read with one request to the pod's log endpoint. Fabric8's
 * {@code getLog} first waits for the pod to become ready, even when told to wait no time: it lists
 * the pod and, depending on timing, opens a watch of pods, which the Role does not grant (a refused
 * watch only logs a warning, then the log is read anyway) and which a log read never needs.
 */
public final class ContainerLogTail {

  private ContainerLogTail() {}

  /**
   * The last {@code lines} lines of {@code container} in {@code pod}, as the kubelet returns them;
   * null when the pod is gone.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server refuses
   */
  public static String read(
      KubernetesClient client, String namespace, String pod, String container, int lines) {
    return client.raw(
        "/api/v1/namespaces/"
            + encoded(namespace)
            + "/pods/"
            + encoded(pod)
            + "/log?container="
            + encoded(container)
            + "&tailLines="
            + lines);
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
