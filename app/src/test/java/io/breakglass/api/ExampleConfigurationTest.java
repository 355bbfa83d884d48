package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.SecretStoreType;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.RotationKind;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples in deploy/config are valid worker and API configurations, each refusing what it does
 * not know, so the documentation cannot drift.
 */
class ExampleConfigurationTest {

  /** The worker's example, also read by verify and adopt. */
  static final Path EXAMPLE = Path.of("..", "deploy", "config", "worker.yml");

  /** The operator API's example. */
  static final Path API_EXAMPLE = Path.of("..", "deploy", "config", "api.yml");

  static final Map<String, String> ENVIRONMENT =
      Map.of(
          "TEMPORAL_TARGET", "temporal.example.invalid:7233",
          "TEMPORAL_NAMESPACE", "breakglass",
          "BREAKGLASS_DB_URL", "jdbc:postgresql://db.example.invalid/breakglass",
          "BREAKGLASS_DB_USER", "breakglass",
          "BREAKGLASS_DB_PASSWORD", "not-a-password",
          "CLINIC_DB_URL", "jdbc:postgresql://db.example.invalid/clinic",
          "CLINIC_DB_USER", "breakglass_rotator",
          "CLINIC_DB_PASSWORD", "not-a-password",
          "ALICE_TOKEN_SHA256", "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
          "BOB_TOKEN_SHA256", "b8b7a8ac5d1f7b1a2c4f1e0b6f3e2d9c8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d");

  @Test
  void theWorkerExample_parsesAndValidates_withEverySecretInAManagedStore() throws Exception {
    WorkerConfiguration configuration = load(EXAMPLE);

    assertThat(configuration.getTemporal().target()).isEqualTo("temporal.example.invalid:7233");
    assertThat(configuration.getTemporal().codec().keys().get(0).env())
        .isEqualTo("BREAKGLASS_CODEC_KEY");
    assertThat(configuration.getTemporal().codec().requireEncoded())
        .as("production reads only encoded input")
        .isTrue();
    assertThat(configuration.getMetrics().host())
        .as("probes and Prometheus reach it")
        .isEqualTo("0.0.0.0");
    assertThat(configuration.getTemporal().shutdownGrace()).hasSeconds(45);
    assertThat(configuration.getTracing().enabled())
        .as("tracing is off unless turned on")
        .isFalse();
    assertThat(configuration.getTracing().otlpEndpoint())
        .isEqualTo("http://otel-collector.observability:4317");
    assertThat(configuration.getDatabases()).containsOnlyKeys("breakglass", "clinic");
    assertThat(configuration.getRotation().secrets()).hasSize(4);
    assertThat(configuration.getRotation().secrets())
        .as("stateless pods: no secret in the local file store")
        .allSatisfy(s -> assertThat(s.store()).isEqualTo(SecretStoreType.AWS_SECRETS_MANAGER));
    assertThat(configuration.getRotation().secretStore()).isNull();
    assertThat(configuration.getRotation().aws().region()).isEqualTo("eu-west-1");
    assertThat(configuration.getRotation().dataSets()).hasSize(2);
    assertThat(configuration.getRotation().notifications().webhooks()).hasSize(3);
    assertThat(configuration.getRotation().metricWatch().metrics())
        .extracting(m -> m.name())
        .containsExactly("redactions", "egress-failures");
    assertThat(configuration.getRotation().metricWatch().logScan().compiledPatterns())
        .containsOnlyKeys("DOB", "MRN", "NAME", "SSN");
    assertThat(configuration.getRotation().smokeChecks())
        .extracting(HttpCheckConfig::name)
        .containsExactly(
            "upload canary chart",
            "read canary chart",
            "write canary snapshot",
            "jwt session",
            "health");
    assertThat(configuration.getRotation().smokeChecks().get(3).jwt().secret()).isEqualTo("jwt");
    for (String secret : List.of("artifact-encryption-key", "ai-payload-encryption-key", "jwt")) {
      assertThat(configuration.getRotation().smokeChecksCovering(secret))
          .as(secret + " is smoke-checked")
          .isNotEmpty();
    }
    assertThat(configuration.getRotation().smokeChecksCovering("openai"))
        .as("the API key is covered by its provider check")
        .containsExactly("provider openai");
    assertThat(configuration.getRotation().smokeChecks().get(0))
        .as("the escaped placeholders reach the checks unsubstituted")
        .satisfies(
            check -> {
              assertThat(check.body()).isEqualTo("${canary}");
              assertThat(check.expect())
                  .containsEntry("/keyId", "${keyId:artifact-encryption-key}");
            });
    assertThat(configuration.getRotation().smokeChecks().get(1).url())
        .isEqualTo("https://backend.example.invalid/charts/${artifact}");
    assertThat(configuration.getRotation().deployments())
        .filteredOn(d -> d.target() == DeploymentTargetType.KUBERNETES)
        .singleElement()
        .satisfies(d -> assertThat(d.kubernetes().keyringSecret()).isEqualTo("clinic-web-keyring"));
    assertThat(configuration.getRotation().approvals().allowUnsigned())
        .as("production proves approvals")
        .isFalse();
    assertThat(configuration.getRotation().approvals().policy().keys())
        .extracting(k -> k.person() + "/" + k.keyId())
        .containsExactly("alice/alice-2026", "bob/bob-2026");
  }

  @Test
  void theApiExample_parsesAndValidates_namingOnlyWhatTheApiReads() throws Exception {
    BreakglassConfiguration configuration = loadApi(API_EXAMPLE);
    WorkerConfiguration worker = load(EXAMPLE);

    assertThat(configuration.getTemporal().codec().keys())
        .as("the API encrypts with the worker's codec keys")
        .isEqualTo(worker.getTemporal().codec().keys());
    assertThat(configuration.getTemporal().codec().requireEncoded()).isTrue();
    assertThat(configuration.getCodecServer().allowedOrigins())
        .containsExactly("https://temporal-ui.example.com");
    assertThat(configuration.getCodecServer().oidc().roleMappings())
        .extracting(m -> m.value())
        .containsExactly("breakglass-viewers", "breakglass-operators", "breakglass-approvers");
    assertThat(configuration.getDatabases()).containsOnlyKeys("breakglass");
    assertThat(configuration.getRotation().secretStore()).isNull();
    assertThat(configuration.getRotation().secrets())
        .as("the same secrets in the same stores as the worker's")
        .extracting(s -> s.name() + " " + s.kind() + " " + s.store() + " " + s.awsSecretId())
        .containsExactlyElementsOf(
            worker.getRotation().secrets().stream()
                .map(s -> s.name() + " " + s.kind() + " " + s.store() + " " + s.awsSecretId())
                .toList());
    assertThat(configuration.getRotation().policy().approvalFloor(RotationKind.EMERGENCY))
        .isEqualTo(worker.getRotation().policy().approvalFloor(RotationKind.EMERGENCY));
    assertThat(configuration.getRotation().policy().approvalFloor(RotationKind.ROUTINE))
        .isEqualTo(worker.getRotation().policy().approvalFloor(RotationKind.ROUTINE));
    assertThat(configuration.getApi().auth().tokens())
        .extracting(t -> t.name())
        .containsExactly("alice", "bob");
    assertThat(configuration.getApi().limits().startsPerMinute()).isEqualTo(10);
    assertThat(configuration.getServerFactory())
        .isInstanceOfSatisfying(
            DefaultServerFactory.class,
            server ->
                assertThat(server.getAdminConnectors())
                    .singleElement()
                    .satisfies(
                        c ->
                            assertThat(((HttpConnectorFactory) c).getBindHost())
                                .as("kubelet probes and Prometheus reach the admin port")
                                .isEqualTo("0.0.0.0")));
  }

  @Test
  void negativeControl_anApiSectionInTheWorkersFile_isRefusedNamingIt(@TempDir Path folder)
      throws Exception {
    Path mixed = folder.resolve("mixed.yml");
    Files.writeString(
        mixed,
        Files.readString(EXAMPLE) + "\ncodecServer:\n  allowedOrigins: [https://x.invalid]\n");

    Throwable refused = catchThrowable(() -> load(mixed));

    assertThat(refused).hasMessageContaining("Unrecognized field at: codecServer");
  }

  @Test
  void negativeControl_aServerSectionInTheWorkersFile_isRefusedSayingWhereItBelongs(
      @TempDir Path folder) throws Exception {
    Path mixed = folder.resolve("mixed.yml");
    Files.writeString(
        mixed,
        Files.readString(EXAMPLE)
            + "\nserver:\n  applicationConnectors:\n    - {type: http, port: 8080}\n");

    Throwable refused = catchThrowable(() -> load(mixed));

    assertThat(refused).hasMessageContaining("server is the API's section (api.yml)");
  }

  @Test
  void negativeControl_theWorkersSectionsInTheApisFile_areRefusedNamingThem(@TempDir Path folder)
      throws Exception {
    Path withMetrics = folder.resolve("metrics.yml");
    Files.writeString(
        withMetrics, Files.readString(API_EXAMPLE) + "\nmetrics:\n  host: 0.0.0.0\n  port: 9464\n");
    Path withDataSets = folder.resolve("data-sets.yml");
    Files.writeString(
        withDataSets,
        Files.readString(API_EXAMPLE)
            .replace("  policy:                ", "  dataSets: []\n  policy:                "));

    assertThat(catchThrowable(() -> loadApi(withMetrics)))
        .hasMessageContaining("Unrecognized field at: metrics.host");
    assertThat(catchThrowable(() -> loadApi(withDataSets)))
        .hasMessageContaining("Unrecognized field at: rotation.dataSets");
  }

  @Test
  void negativeControl_theApiWithoutItsRequiredRotationSecrets_isRefusedNamingTheField(
      @TempDir Path folder) throws Exception {
    Path broken = folder.resolve("broken.yml");
    String example = Files.readString(API_EXAMPLE);
    Files.writeString(
        broken,
        example.substring(0, example.indexOf("  secrets:"))
            + example.substring(example.indexOf("  policy:")));

    assertThat(catchThrowable(() -> loadApi(broken)))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("rotation.secrets must not be null");
  }

  @Test
  void negativeControl_aMalformedMetricCondition_isRefusedNamingTheMetric(@TempDir Path folder)
      throws Exception {
    Path broken = folder.resolve("broken.yml");
    Files.writeString(
        broken,
        Files.readString(EXAMPLE)
            .replace("successCondition: result > 0", "successCondition: result >> 0"));

    Throwable refused = catchThrowable(() -> load(broken));

    assertThat(refused).hasMessageContaining("metric redactions: condition 'result >> 0'");
  }

  @Test
  void negativeControl_aKubernetesTargetWithoutItsDeployment_isRefusedByValidation(
      @TempDir Path folder) throws Exception {
    Path broken = folder.resolve("broken.yml");
    String example = Files.readString(EXAMPLE);
    int start = example.indexOf("      kubernetes:");
    int end = example.indexOf("rolloutTimeout", start);
    Files.writeString(
        broken, example.substring(0, start) + example.substring(example.indexOf('\n', end) + 1));

    Throwable refused = catchThrowable(() -> load(broken));

    assertThat(refused)
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("KUBERNETES target needs kubernetes");
  }

  @Test
  void negativeControl_aTokenGivenInPlaceOfItsHash_isRefusedByValidation(@TempDir Path folder)
      throws Exception {
    Path broken = folder.resolve("broken.yml");
    Files.writeString(
        broken, Files.readString(API_EXAMPLE).replace("${ALICE_TOKEN_SHA256}", "my-secret-token"));
    Throwable refused = catchThrowable(() -> loadApi(broken));

    assertThat(refused)
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("SHA-256");
  }

  @Test
  void negativeControl_aDataSetWithoutItsSecret_isRefusedByValidation(@TempDir Path folder)
      throws Exception {
    Throwable refused = loadWithout(folder, "      secret: ai-payload-encryption-key\n", "");

    assertThat(refused)
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("secret");
  }

  @Test
  void negativeControl_localSecretsWithoutTheLocalStore_areRefusedByValidation(@TempDir Path folder)
      throws Exception {
    Path broken = folder.resolve("broken.yml");
    Files.writeString(
        broken,
        Files.readString(EXAMPLE)
            .replace(
                "      kind: SIGNING_SECRET\n      store: AWS_SECRETS_MANAGER\n",
                "      kind: SIGNING_SECRET\n"));

    Throwable refused = catchThrowable(() -> load(broken));

    assertThat(refused)
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("a secret kept in the LOCAL store needs rotation.secretStore");
  }

  /** What loading the example with {@code text} replaced by {@code replacement} throws. */
  private static Throwable loadWithout(Path folder, String text, String replacement)
      throws Exception {
    Path broken = folder.resolve("broken.yml");
    Files.writeString(broken, Files.readString(EXAMPLE).replace(text, replacement));
    return catchThrowable(() -> load(broken));
  }

  private static WorkerConfiguration load(Path file) throws Exception {
    return ExampleFiles.load(WorkerConfiguration.class, file, ENVIRONMENT);
  }

  private static BreakglassConfiguration loadApi(Path file) throws Exception {
    return ExampleFiles.load(BreakglassConfiguration.class, file, ENVIRONMENT);
  }
}
