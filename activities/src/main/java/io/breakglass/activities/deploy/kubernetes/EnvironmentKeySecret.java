package io.breakglass.activities.deploy.kubernetes;

import io.breakglass.activities.config.EnvironmentEncoding;
import io.breakglass.activities.config.EnvironmentKeys;
import io.breakglass.activities.config.EnvironmentSecret;
import io.breakglass.activities.deploy.KeyMaterial;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key material of a keyring, in a Secret whose keys the pods read as environment variables: the
 * primary version under {@code current}, the decrypt-only versions under {@code previous} in
 * keyring order, and a {@code previous} key with no version to hold removed. The material comes
 * from the store inside the activity; the keyring carries only version ids. Updates keep the other
 * keys and use the {@code resourceVersion} that was read, as the keyring Secret does. Messages name
 * the Secret, the keys and version ids, never a value.
 */
final class EnvironmentKeySecret {

  private final KubernetesClient client;
  private final String namespace;
  private final EnvironmentSecret config;
  private final String deployment;
  private final KeyMaterial material;

  EnvironmentKeySecret(
      KubernetesClient client,
      String namespace,
      EnvironmentSecret config,
      String deployment,
      List<String> secrets,
      KeyMaterial material) {
    for (EnvironmentKeys keys : config.keys()) {
      if (!secrets.contains(keys.secret())) {
        throw new IllegalArgumentException(
            "deployment "
                + deployment
                + ": environmentSecret names "
                + keys.secret()
                + ", which the deployment does not read "
                + secrets);
      }
    }
    this.client = client;
    this.namespace = namespace;
    this.config = config;
    this.deployment = deployment;
    this.material = material;
  }

  /**
   * Writes the material of the entries in {@code change} that have keys; writes nothing when it is
   * there already.
   */
  void write(KeyringSpec change) {
    Map<String, String> wanted = new LinkedHashMap<>();
    List<String> unused = new ArrayList<>();
    for (KeyringEntry entry : change.entries()) {
      EnvironmentKeys keys = keysOf(entry.secret());
      if (keys == null) {
        continue;
      }
      List<String> decryptOnly = entry.decryptOnlyVersionIds();
      if (decryptOnly.size() > keys.previous().size()) {
        throw RotationErrors.INVALID_CONFIGURATION.failure(
            "Secret "
                + where()
                + " of "
                + deployment
                + " has "
                + keys.previous().size()
                + " previous key(s) for "
                + entry.secret()
                + " but its keyring names "
                + decryptOnly.size()
                + " decrypt-only version(s) "
                + decryptOnly
                + ": add keys to previous");
      }
      wanted.put(keys.current(), encoded(keys, entry.secret(), entry.primaryVersionId()));
      for (int i = 0; i < keys.previous().size(); i++) {
        if (i < decryptOnly.size()) {
          wanted.put(keys.previous().get(i), encoded(keys, entry.secret(), decryptOnly.get(i)));
        } else {
          unused.add(keys.previous().get(i));
        }
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    SecretDataUpdate.apply(
        client,
        namespace,
        this::get,
        data -> {
          data.putAll(wanted);
          unused.forEach(data::remove);
        },
        "Secret " + where() + ", under the key update of " + deployment + ",");
  }

  private EnvironmentKeys keysOf(String secret) {
    return config.keys().stream().filter(k -> k.secret().equals(secret)).findFirst().orElse(null);
  }

  /** The Secret's {@code data} value (base64 of the variable's text) for one version. */
  private String encoded(EnvironmentKeys keys, String secret, String versionId) {
    byte[] value;
    try {
      value = material.of(secret, versionId);
    } catch (SecretStoreException e) {
      throw e.error().failure(e.getMessage());
    }
    if (keys.encoding() == EnvironmentEncoding.BASE64) {
      value = Base64.getEncoder().encode(value);
    } else if (!isText(value)) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "version "
              + versionId
              + " of "
              + secret
              + " is not UTF-8 text without NUL, so it cannot be"
              + " environment variable "
              + keys.current()
              + " of "
              + deployment
              + " as TEXT: use BASE64");
    }
    return Base64.getEncoder().encodeToString(value);
  }

  private static boolean isText(byte[] value) {
    for (byte b : value) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private Secret get() {
    Secret secret = client.secrets().inNamespace(namespace).withName(config.name()).get();
    if (secret == null) {
      throw RotationErrors.INVALID_CONFIGURATION.failure(
          "the environment Secret " + where() + " of " + deployment + " does not exist");
    }
    return secret;
  }

  private String where() {
    return namespace + "/" + config.name();
  }
}
