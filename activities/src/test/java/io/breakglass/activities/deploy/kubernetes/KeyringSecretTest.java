package io.breakglass.activities.deploy.kubernetes;

import static io.breakglass.activities.testing.KubernetesWorkload.KEYRING_SECRET;
import static io.breakglass.activities.testing.KubernetesWorkload.NAMESPACE;
import static io.breakglass.activities.testing.KubernetesWorkload.OTHER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.breakglass.activities.deploy.KeyringDocument;
import io.breakglass.activities.testing.KubernetesWorkload;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.temporal.failure.ApplicationFailure;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KeyringSecretTest {

  private static final String DEPLOYMENT = "backend";

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void workload() {
    KubernetesWorkload.create(client);
  }

  @Test
  void aPublishedKeyring_isInTheSecretInTheKeyringFileFormat_andTheSecretsOtherKeysAreKept() {
    keyring(client).merge(spec(entry("jwt", "v2", "v1")));

    Secret secret = secret();
    assertThat(secret.getData()).containsKeys(KeyringSecret.KEY, OTHER_KEY);
    assertThat(KeyringDocument.parse(DEPLOYMENT, decoded(secret)).entries())
        .containsExactly(entry("jwt", "v2", "v1"));
    assertThat(keyring(client).read().entries()).containsExactly(entry("jwt", "v2", "v1"));
  }

  @Test
  void aChangeReplacesOnlyTheEntriesOfItsSecrets() {
    keyring(client).merge(spec(entry("jwt", "v1"), entry("openai", "k1")));

    keyring(client).merge(spec(entry("jwt", "v2", "v1")));

    assertThat(keyring(client).read().entries())
        .containsExactlyInAnyOrder(entry("jwt", "v2", "v1"), entry("openai", "k1"));
  }

  @Test
  void publishingTheSameKeyringTwice_writesTheSecretOnce() {
    keyring(client).merge(spec(entry("jwt", "v2", "v1")));
    String written = secret().getMetadata().getResourceVersion();

    keyring(client).merge(spec(entry("jwt", "v2", "v1")));

    assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(written);
  }

  @Test
  void aWriterBetweenOurReadAndOurReplace_causesAConflictThatIsRetried_andItsChangeIsKept() {
    keyring(client).merge(spec(entry("jwt", "v1")));
    AtomicInteger raced = new AtomicInteger();
    KubernetesClient racing = clientRacing(1, raced);

    new KeyringSecret(racing, NAMESPACE, KEYRING_SECRET, DEPLOYMENT)
        .merge(spec(entry("jwt", "v2", "v1")));

    assertThat(raced).hasValue(1);
    assertThat(keyring(client).read().entries())
        .containsExactlyInAnyOrder(
            entry("jwt", "v2", "v1"), entry("openai", "from-the-other-writer-1"));
  }

  @Test
  void negativeControl_aReplaceWithoutTheReadResourceVersion_losesTheOtherWritersChange() {
    keyring(client).merge(spec(entry("jwt", "v1")));
    Secret read = secret();
    otherWriter(client, "from-the-other-writer");

    read.getMetadata().setResourceVersion(null);
    read.getData()
        .put(
            KeyringSecret.KEY,
            Base64.getEncoder()
                .encodeToString(
                    KeyringDocument.merged(decoded(read), spec(entry("jwt", "v2", "v1")))));
    client.secrets().inNamespace(NAMESPACE).resource(read).update();

    assertThat(keyring(client).read().entries()).containsExactly(entry("jwt", "v2", "v1"));
  }

  @Test
  void aSecretThatKeepsChanging_failsRetryablyAfterBoundedAttempts() {
    AtomicInteger raced = new AtomicInteger();
    KubernetesClient racing = clientRacing(Integer.MAX_VALUE, raced);

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                new KeyringSecret(racing, NAMESPACE, KEYRING_SECRET, DEPLOYMENT)
                    .merge(spec(entry("jwt", "v2"))));

    assertThat(failure.getType()).isEqualTo(RotationErrors.DEPLOYMENT_UNAVAILABLE.name());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(raced).hasValue(SecretDataUpdate.ATTEMPTS);
  }

  @Test
  void aMissingSecret_isAConfigurationError_namingIt() {
    client.secrets().inNamespace(NAMESPACE).withName(KEYRING_SECRET).delete();

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> keyring(client).read());

    assertThat(failure.getType()).isEqualTo(RotationErrors.INVALID_CONFIGURATION.name());
    assertThat(failure.getOriginalMessage()).contains(NAMESPACE + "/" + KEYRING_SECRET);
  }

  /**
   * A client whose first {@code times} Secret updates are each preceded by another writer's update.
   */
  private KubernetesClient clientRacing(int times, AtomicInteger raced) {
    Interceptor race =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (request.method().equals("PUT")
                && request.uri().getPath().endsWith("/secrets/" + KEYRING_SECRET)
                && raced.get() < times) {
              otherWriter(client, "from-the-other-writer-" + raced.incrementAndGet());
            }
          }
        };
    return server.createClient(
        b -> b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("race", race)));
  }

  /** Another writer adds an entry of its own, with optimistic locking as well. */
  private static void otherWriter(KubernetesClient client, String value) {
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(KEYRING_SECRET).get();
    secret
        .getData()
        .put(
            KeyringSecret.KEY,
            Base64.getEncoder()
                .encodeToString(
                    KeyringDocument.merged(decoded(secret), spec(entry("openai", value)))));
    client.secrets().inNamespace(NAMESPACE).resource(secret).update();
  }

  private static KeyringSecret keyring(KubernetesClient client) {
    return new KeyringSecret(client, NAMESPACE, KEYRING_SECRET, DEPLOYMENT);
  }

  private Secret secret() {
    return client.secrets().inNamespace(NAMESPACE).withName(KEYRING_SECRET).get();
  }

  private static byte[] decoded(Secret secret) {
    String value = secret.getData().get(KeyringSecret.KEY);
    return value == null ? null : Base64.getDecoder().decode(value);
  }

  private static KeyringSpec spec(KeyringEntry... entries) {
    return new KeyringSpec(DEPLOYMENT, List.of(entries));
  }

  private static KeyringEntry entry(String secret, String primary, String... decryptOnly) {
    return new KeyringEntry(secret, primary, List.of(decryptOnly));
  }
}
