package io.breakglass.activities.deploy.kubernetes;

import io.breakglass.activities.deploy.KeyringDocument;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A workload's keyring kept in a Kubernetes Secret under {@value #KEY}, in the same {@link
 * KeyringDocument} format as the manual target's file. Changes are read, merged and replaced with
 * the {@code resourceVersion} that was read, so a concurrent writer's change is never overwritten:
 * a 409 Conflict reads again and retries, up to {@value #ATTEMPTS} times.
 */
final class KeyringSecret {

  /** The key in the Secret's {@code data} that holds the keyring. */
  static final String KEY = "keyring.json";

  static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String deployment;

  KeyringSecret(KubernetesClient client, String namespace, String name, String deployment) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.deployment = deployment;
  }

  KeyringSpec read() {
    return KeyringDocument.parse(deployment, keyring(get()));
  }

  /** Replaces the entries of the secrets in {@code change}; writes nothing when they are already there. */
  void merge(KeyringSpec change) {
    for (int attempt = 1; ; attempt++) {
      Secret current = get();
      byte[] before = keyring(current);
      byte[] after = KeyringDocument.merged(before, change);
      if (Arrays.equals(before, after)) {
        return;
      }
      Map<String, String> data = new LinkedHashMap<>(current.getData() == null ? Map.of() : current.getData());
      data.put(KEY, Base64.getEncoder().encodeToString(after));
      // The read resourceVersion stays on the object: the API server refuses the update with 409
      // if anyone wrote the Secret since.
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
              "Secret " + namespace + "/" + name + " kept changing under the keyring update of "
                  + deployment + " (" + ATTEMPTS + " conflicts)");
        }
      }
    }
  }

  private Secret get() {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "the keyring Secret " + namespace + "/" + name + " of " + deployment + " does not exist");
    }
    return secret;
  }

  private static byte[] keyring(Secret secret) {
    String encoded = secret.getData() == null ? null : secret.getData().get(KEY);
    return encoded == null ? null : Base64.getDecoder().decode(encoded);
  }
}
