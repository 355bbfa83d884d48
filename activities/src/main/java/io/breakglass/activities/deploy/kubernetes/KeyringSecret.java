package io.breakglass.activities.deploy.kubernetes;

import io.breakglass.activities.deploy.KeyringDocument;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Base64;

/**
 * A workload's keyring kept in a Kubernetes Secret under {@value #KEY}, in the same {@link
 * KeyringDocument} format as the manual target's file. Changes are read, merged and replaced with
 * the {@code resourceVersion} that was read ({@link SecretDataUpdate}), so a concurrent writer's
 * change is never overwritten.
 */
final class KeyringSecret {

  /** The key in the Secret's {@code data} that holds the keyring. */
  static final String KEY = "keyring.json";

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

  /**
   * Replaces the entries of the secrets in {@code change}; writes nothing when they are already
   * there.
   */
  void merge(KeyringSpec change) {
    SecretDataUpdate.apply(
        client,
        namespace,
        this::get,
        data -> {
          String encoded = data.get(KEY);
          byte[] before = encoded == null ? null : Base64.getDecoder().decode(encoded);
          data.put(KEY, Base64.getEncoder().encodeToString(KeyringDocument.merged(before, change)));
        },
        "Secret " + namespace + "/" + name + ", under the keyring update of " + deployment + ",");
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
