package io.breakglass.activities.deploy.kubernetes;

import static io.breakglass.activities.testing.KubernetesWorkload.DEPLOYMENT;
import static io.breakglass.activities.testing.KubernetesWorkload.KEYRING_SECRET;
import static io.breakglass.activities.testing.KubernetesWorkload.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.EnvironmentEncoding;
import io.breakglass.activities.config.EnvironmentKeys;
import io.breakglass.activities.config.EnvironmentSecret;
import io.breakglass.activities.config.KubernetesTarget;
import io.breakglass.activities.deploy.KeyMaterial;
import io.breakglass.activities.testing.KubernetesWorkload;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The environment Secret a Deployment's pods read their keys from, against the mock API server in
 * CRUD mode: at each keyring of a rotation it holds the material of exactly the versions the
 * keyring names, and a rollback that publishes the keyring before puts the keys before back.
 */
@EnableKubernetesMockClient(crud = true)
class EnvironmentKeySecretTest {

  static final String ENV_SECRET = "clinic-web-env";
  static final String SECRET = "artifact-key";
  static final String CURRENT = "ARTIFACT_KEY";
  static final String PREVIOUS = "ARTIFACT_KEY_PREVIOUS";

  /** A key of the environment Secret Breakglass does not own. */
  static final String DATABASE_URL = "DATABASE_URL";

  private static final Map<String, byte[]> MATERIAL =
      Map.of(
          "v1",
          bytes(1),
          "v2",
          bytes(2),
          "v0",
          bytes(9),
          "text",
          "sk-live-1".getBytes(StandardCharsets.UTF_8));

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void workload() {
    KubernetesWorkload.create(client);
    // As the team had it before Breakglass: the current key, base64 text, beside other settings.
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(ENV_SECRET)
                .endMetadata()
                .addToData(CURRENT, data(Base64.getEncoder().encode(MATERIAL.get("v1"))))
                .addToData(
                    DATABASE_URL, data("postgres://db/clinic".getBytes(StandardCharsets.UTF_8)))
                .build())
        .create();
  }

  @Test
  void throughARotation_theSecretHoldsTheKeyringsVersions_andTheOldKeyIsGoneAfterRevoke() {
    KubernetesDeploymentTarget target = target(List.of(PREVIOUS), EnvironmentEncoding.BASE64);

    target.publish(keyring("v1", "v2"));
    Map<String, String> distributed = variables();
    target.publish(keyring("v2", "v1"));
    Map<String, String> promoted = variables();
    target.publish(keyring("v2"));
    Map<String, String> revoked = variables();

    assertThat(distributed)
        .containsEntry(CURRENT, base64("v1"))
        .containsEntry(PREVIOUS, base64("v2"));
    assertThat(promoted).containsEntry(CURRENT, base64("v2")).containsEntry(PREVIOUS, base64("v1"));
    assertThat(revoked).containsEntry(CURRENT, base64("v2")).doesNotContainKey(PREVIOUS);
    assertThat(revoked).containsEntry(DATABASE_URL, "postgres://db/clinic");
    assertThat(target.read().entries()).containsExactly(new KeyringEntry(SECRET, "v2", List.of()));
  }

  @Test
  void aRollback_publishingTheKeyringBefore_restoresTheKeysBefore() {
    KubernetesDeploymentTarget target = target(List.of(PREVIOUS), EnvironmentEncoding.BASE64);
    Map<String, String> before = variables();
    target.publish(keyring("v1", "v2"));
    target.publish(keyring("v2", "v1"));

    target.publish(keyring("v1", "v2"));
    Map<String, String> promoteUndone = variables();
    target.publish(keyring("v1"));

    assertThat(promoteUndone)
        .containsEntry(CURRENT, base64("v1"))
        .containsEntry(PREVIOUS, base64("v2"));
    assertThat(variables()).isEqualTo(before);
  }

  @Test
  void republishingTheSameKeyring_writesNothing() {
    KubernetesDeploymentTarget target = target(List.of(PREVIOUS), EnvironmentEncoding.BASE64);
    target.publish(keyring("v1", "v2"));
    String resourceVersion = envSecretVersion();

    target.publish(keyring("v1", "v2"));

    assertThat(envSecretVersion()).isEqualTo(resourceVersion);
  }

  @Test
  void moreDecryptOnlyVersionsThanPreviousKeys_isRefused_andNothingIsWritten() {
    KubernetesDeploymentTarget target = target(List.of(PREVIOUS), EnvironmentEncoding.BASE64);
    Map<String, String> before = variables();

    ApplicationFailure refused =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                target.publish(
                    new KeyringSpec(
                        DEPLOYMENT, List.of(new KeyringEntry(SECRET, "v1", List.of("v0", "v2"))))));

    assertThat(refused.getType()).isEqualTo(RotationErrors.INVALID_CONFIGURATION.name());
    assertThat(refused.getOriginalMessage()).contains("[v0, v2]", "add keys to previous");
    assertThat(variables()).isEqualTo(before);
    assertThat(target.read().entries()).as("nor the keyring").isEmpty();
  }

  @Test
  void twoPreviousKeys_holdTheStoresPreviousVersionAndTheNewOne() {
    KubernetesDeploymentTarget target =
        target(List.of(PREVIOUS, "ARTIFACT_KEY_OLDER"), EnvironmentEncoding.BASE64);

    target.publish(
        new KeyringSpec(DEPLOYMENT, List.of(new KeyringEntry(SECRET, "v1", List.of("v0", "v2")))));

    assertThat(variables())
        .containsEntry(CURRENT, base64("v1"))
        .containsEntry(PREVIOUS, base64("v0"))
        .containsEntry("ARTIFACT_KEY_OLDER", base64("v2"));
  }

  @Test
  void textEncoding_writesTheValueAsItIs_andRefusesBinaryMaterialWithoutShowingIt() {
    target(List.of(), EnvironmentEncoding.TEXT).publish(keyring("text"));
    assertThat(variables()).containsEntry(CURRENT, "sk-live-1");

    ApplicationFailure refused =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> target(List.of(), EnvironmentEncoding.TEXT).publish(keyring("v2")));

    assertThat(refused.getType()).isEqualTo(RotationErrors.INVALID_CONFIGURATION.name());
    assertThat(refused.getOriginalMessage())
        .contains("v2", "use BASE64")
        .doesNotContain(base64("v2"), new String(MATERIAL.get("v2"), StandardCharsets.ISO_8859_1));
  }

  @Test
  void keysForASecretTheDeploymentDoesNotRead_areAConfigurationError() {
    DeploymentConfig config =
        new DeploymentConfig(
            DEPLOYMENT,
            DeploymentTargetType.KUBERNETES,
            List.of("jwt"),
            null,
            new KubernetesTarget(
                NAMESPACE,
                DEPLOYMENT,
                KEYRING_SECRET,
                Duration.ofSeconds(5),
                environment(List.of(), null)));

    assertThatThrownBy(
            () ->
                new KubernetesDeploymentTarget(
                    config, client, (s, v) -> MATERIAL.get(v), p -> {}, Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SECRET);
    assertThatThrownBy(
            () -> new KubernetesDeploymentTarget(config, client, p -> {}, Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secret store");
  }

  @Test
  void negativeControl_aTargetWithoutAnEnvironmentSecret_leavesTheKeysAsTheyWere() {
    DeploymentConfig config =
        new DeploymentConfig(
            DEPLOYMENT,
            DeploymentTargetType.KUBERNETES,
            List.of(SECRET),
            null,
            new KubernetesTarget(NAMESPACE, DEPLOYMENT, KEYRING_SECRET, Duration.ofSeconds(5)));
    KubernetesDeploymentTarget keyringOnly =
        new KubernetesDeploymentTarget(config, client, p -> {}, Duration.ofMillis(50));

    keyringOnly.publish(keyring("v2", "v1"));

    assertThat(variables()).containsEntry(CURRENT, base64("v1")).doesNotContainKey(PREVIOUS);
    assertThatThrownBy(() -> assertThat(variables()).containsEntry(CURRENT, base64("v2")))
        .as("the assertion the rotation tests make fails on a keyring-only target")
        .isInstanceOf(AssertionError.class);
  }

  private KubernetesDeploymentTarget target(List<String> previous, EnvironmentEncoding encoding) {
    DeploymentConfig config =
        new DeploymentConfig(
            DEPLOYMENT,
            DeploymentTargetType.KUBERNETES,
            List.of(SECRET, "jwt"),
            null,
            new KubernetesTarget(
                NAMESPACE,
                DEPLOYMENT,
                KEYRING_SECRET,
                Duration.ofSeconds(5),
                environment(previous, encoding)));
    KeyMaterial material = (secret, versionId) -> MATERIAL.get(versionId).clone();
    return new KubernetesDeploymentTarget(config, client, material, p -> {}, Duration.ofMillis(50));
  }

  private static EnvironmentSecret environment(
      List<String> previous, EnvironmentEncoding encoding) {
    return new EnvironmentSecret(
        ENV_SECRET, List.of(new EnvironmentKeys(SECRET, CURRENT, previous, encoding)));
  }

  /** The keyring of {@link #SECRET} with this primary and these decrypt-only versions. */
  private static KeyringSpec keyring(String primary, String... decryptOnly) {
    return new KeyringSpec(
        DEPLOYMENT, List.of(new KeyringEntry(SECRET, primary, List.of(decryptOnly))));
  }

  /** The environment variables the pods would get from the Secret, as text. */
  private Map<String, String> variables() {
    Map<String, String> data =
        client.secrets().inNamespace(NAMESPACE).withName(ENV_SECRET).get().getData();
    Map<String, String> variables = new java.util.LinkedHashMap<>();
    data.forEach(
        (k, v) ->
            variables.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return variables;
  }

  private String envSecretVersion() {
    return client
        .secrets()
        .inNamespace(NAMESPACE)
        .withName(ENV_SECRET)
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  private static String base64(String version) {
    return Base64.getEncoder().encodeToString(MATERIAL.get(version));
  }

  private static String data(byte[] value) {
    return Base64.getEncoder().encodeToString(value);
  }

  private static byte[] bytes(int seed) {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (seed * 31 + i * 7);
    }
    return key;
  }
}
