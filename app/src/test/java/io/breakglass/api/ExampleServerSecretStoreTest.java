package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.MasterKey;
import io.breakglass.activities.secrets.SecretStores;
import io.breakglass.activities.secrets.aws.AwsSecretsManagerStore;
import io.breakglass.activities.testing.FakeSecretsManager;
import io.breakglass.api.auth.StaticTokens;
import io.breakglass.worker.dev.DevConfiguration;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code server} on the example API configuration ({@code deploy/config/api.yml}, its environment
 * placeholders filled; Temporal, PostgreSQL and the Secrets Manager endpoint pointed at the test's
 * own) against the Secrets Manager fake: with every secret in Secrets Manager and no local store
 * (no master key), it starts, and a pending value for {@code openai} is staged where the worker's
 * CREATE_VERSION reads it.
 */
class ExampleServerSecretStoreTest extends ApiTest {

  private static final String ALICE = "token-alice-" + UUID.randomUUID();
  private static final ObjectMapper YAML =
      Jackson.newObjectMapper(new YAMLFactory())
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

  private static FakeSecretsManager aws;
  private static Path folder;
  private static DropwizardTestSupport<BreakglassConfiguration> example;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void theExampleServer() throws Exception {
    aws = FakeSecretsManager.start();
    // The default credential chain reads these first; the fake checks no signature.
    System.setProperty("aws.accessKeyId", "AKIDFAKE");
    System.setProperty("aws.secretAccessKey", "fake");
    folder = Files.createTempDirectory("breakglass-example-server");
    MasterKey.createFile(folder.resolve("master.key"));
    example = server("example", exampleConfiguration());
  }

  @AfterAll
  static void stop() {
    testbed.closeAnother(example);
    aws.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void aPendingValueForASecretInSecretsManager_isStagedWhereCreateVersionReadsIt()
      throws Exception {
    RotationSettings settings = example.getConfiguration().getRotation().toRotationSettings();
    assertThat(settings.secretStore()).as("no local store, no master key").isNull();
    assertThat(settings.secret("openai").orElseThrow().store())
        .isEqualTo(SecretStoreType.AWS_SECRETS_MANAGER);
    String value = "sk-example-" + UUID.randomUUID();

    HttpResponse<String> response = putPendingValue(example, "openai", value);

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(aws.exists(AwsSecretsManagerStore.STAGED_PREFIX + "openai")).isTrue();
    assertThat(SecretStores.open(settings).staged("openai"))
        .as("read as the worker's CREATE_VERSION reads it")
        .isEqualTo(value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void
      negativeControl_aValueStagedInTheLocalStore_asTheApiDidBefore_isNotWhereCreateVersionReadsIt() {
    RotationSettings settings = example.getConfiguration().getRotation().toRotationSettings();
    byte[] local = ("sk-local-only-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    LocalSecretStore localOnly =
        LocalSecretStore.open(
            new LocalSecretStoreConfig(
                folder.resolve("secrets.store"),
                "BREAKGLASS_TEST_VARIABLE_NOBODY_SETS",
                folder.resolve("master.key")));

    localOnly.stage("openai", local);

    assertThat(localOnly.staged("openai")).as("the write itself succeeds").isEqualTo(local);
    assertThat(SecretStores.open(settings).staged("openai")).isNotEqualTo(local);
  }

  private HttpResponse<String> putPendingValue(
      DropwizardTestSupport<BreakglassConfiguration> server, String secret, String value)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + server.getLocalPort()
                        + "/api/secrets/"
                        + secret
                        + "/pending-value"))
            .header("Authorization", "Bearer " + ALICE)
            .header("Content-Type", "text/plain")
            .PUT(HttpRequest.BodyPublishers.ofString(value))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The example file with its placeholders filled, parsed as the jar parses it; then what points at
   * real infrastructure points at the test's: Temporal and PostgreSQL of the shared stack, Secrets
   * Manager at the fake, loopback ports. Everything else (the secrets, their stores and ids, the
   * API's users) is the example's.
   */
  private static Map<String, Object> exampleConfiguration() throws Exception {
    Map<String, String> environment = new HashMap<>(ExampleConfigurationTest.ENVIRONMENT);
    environment.put("ALICE_TOKEN_SHA256", StaticTokens.hash(ALICE));
    String text =
        new StringSubstitutor(environment)
            .replace(Files.readString(ExampleConfigurationTest.API_EXAMPLE));
    Map<String, Object> configuration =
        YAML.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
    Map<String, Object> stack = DevConfiguration.apiContents(testbed.stack());
    configuration.put("temporal", stack.get("temporal"));
    configuration.put("databases", stack.get("databases"));
    configuration.put("server", DevConfiguration.loopbackServer(0, 0));
    Map<String, Object> rotation = section(configuration, "rotation");
    section(rotation, "aws").put("secretsManagerEndpoint", aws.endpoint().toString());
    return configuration;
  }

  private static DropwizardTestSupport<BreakglassConfiguration> server(
      String name, Map<String, Object> configuration) throws Exception {
    Path file = folder.resolve(name + ".yml");
    // The jar substitutes ${...} from the environment again: the smoke checks' placeholders stay
    // escaped.
    Files.writeString(file, YAML.writeValueAsString(configuration).replace("${", "$${"));
    DropwizardTestSupport<BreakglassConfiguration> support =
        new DropwizardTestSupport<>(BreakglassApplication.class, file.toString());
    support.before();
    return support;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> parent, String name) {
    return (Map<String, Object>) parent.get(name);
  }
}
