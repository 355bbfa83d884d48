package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TemporalConfigTest {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).findAndRegisterModules();

  @Test
  void givenAnEmptyMapping_everyDefaultApplies() throws Exception {
    TemporalConfig config = YAML.readValue("{}", TemporalConfig.class);

    assertThat(config)
        .isEqualTo(
            new TemporalConfig(
                "127.0.0.1:7233",
                "default",
                null,
                null,
                false,
                "breakglass-rotation",
                200,
                Duration.ofSeconds(30)));
  }

  @Test
  void givenTemporalCloudWithAnApiKey_theSettingsAreRead() throws Exception {
    TemporalConfig config =
        YAML.readValue(
            """
            target: my-ns.a1b2c.tmprl.cloud:7233
            namespace: my-ns.a1b2c
            tls: {}
            apiKeyEnv: TEMPORAL_API_KEY
            maxConcurrentActivityExecutions: 16
            shutdownGrace: PT45S
            """,
            TemporalConfig.class);

    assertThat(config.target()).isEqualTo("my-ns.a1b2c.tmprl.cloud:7233");
    assertThat(config.namespace()).isEqualTo("my-ns.a1b2c");
    assertThat(config.tls()).isEqualTo(new TlsConfig(null, null, null, null));
    assertThat(config.apiKeyEnv()).isEqualTo("TEMPORAL_API_KEY");
    assertThat(config.maxConcurrentActivityExecutions()).isEqualTo(16);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void givenMutualTlsFiles_thePathsAreRead() throws Exception {
    TemporalConfig config =
        YAML.readValue(
            """
            target: temporal-frontend.temporal:7233
            tls:
              caCertFile: /etc/breakglass/temporal/ca.crt
              clientCertFile: /etc/breakglass/temporal/tls.crt
              clientKeyFile: /etc/breakglass/temporal/tls.key
              serverNameOverride: temporal.internal
            disableStickyExecution: true
            taskQueue: breakglass-canary
            """,
            TemporalConfig.class);

    assertThat(config.tls())
        .isEqualTo(
            new TlsConfig(
                Path.of("/etc/breakglass/temporal/ca.crt"),
                Path.of("/etc/breakglass/temporal/tls.crt"),
                Path.of("/etc/breakglass/temporal/tls.key"),
                "temporal.internal"));
    assertThat(config.disableStickyExecution()).isTrue();
    assertThat(config.taskQueue()).isEqualTo("breakglass-canary");
  }

  @Test
  void givenAnApiKeyWrittenIntoTheConfiguration_itIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> YAML.readValue("apiKey: tck-inline-0042\n", TemporalConfig.class))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .hasMessageContaining("\"apiKey\"")
        .hasMessageNotContaining("tck-inline-0042");
  }

  @Test
  void givenANegativeActivityLimit_itIsRefusedNamingTheField() {
    assertThatThrownBy(
            () -> YAML.readValue("maxConcurrentActivityExecutions: -1\n", TemporalConfig.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("temporal.maxConcurrentActivityExecutions must be positive");
  }
}
