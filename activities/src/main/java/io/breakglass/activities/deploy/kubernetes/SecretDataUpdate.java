package io.breakglass.activities.deploy.kubernetes;

import io.breakglass.workflows.RotationErrors;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A change to a Secret's {@code data} that never overwrites a concurrent writer's: the Secret is
 * read, changed and replaced with the {@code resourceVersion} that was read, so the API server
 * refuses the update with 409 if anyone wrote it since; a conflict reads again and retries, up to
 * {@value #ATTEMPTS} times. Nothing is written when the change leaves the data as it was.
 */
final class SecretDataUpdate {

  static final int ATTEMPTS = 5;

  private SecretDataUpdate() {}

  /**
   * @param read reads the Secret, failing when it does not exist
   * @param change edits a copy of the data (keys to base64 values) in place
   * @param what the Secret and the update, for the message when it keeps conflicting
   */
  static void apply(
      KubernetesClient client,
      String namespace,
      Supplier<Secret> read,
      Consumer<Map<String, String>> change,
      String what) {
    for (int attempt = 1; ; attempt++) {
      Secret current = read.get();
      Map<String, String> before = current.getData() == null ? Map.of() : current.getData();
      Map<String, String> data = new LinkedHashMap<>(before);
      change.accept(data);
      if (data.equals(before)) {
        return;
      }
      Secret updated = new SecretBuilder(current).withData(data).withStringData(null).build();
      try {
        client.secrets().inNamespace(namespace).resource(updated).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        if (attempt == ATTEMPTS) {
          throw RotationErrors.DEPLOYMENT_UNAVAILABLE.failure(
              what + " kept changing (" + ATTEMPTS + " conflicts)");
        }
      }
    }
  }
}
