package io.breakglass.worker.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class TracingConfigTest {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).findAndRegisterModules();

  @Test
  void givenAnEmptyMapping_tracingIsOffWithTheDefaults() throws Exception {
    TracingConfig config = YAML.readValue("{}", TracingConfig.class);

    assertThat(config).isEqualTo(TracingConfig.off());
    assertThat(config.enabled()).isFalse();
    assertThat(config.otlpEndpoint()).isEqualTo("http://localhost:4317");
    assertThat(config.serviceName()).isEqualTo("breakglass");
    assertThat(Tracing.start(config).enabled()).isFalse();
  }

  @Test
  void givenEnabled_theSettingsAreRead() throws Exception {
    TracingConfig config =
        YAML.readValue(
            """
            enabled: true
            otlpEndpoint: https://collector.example.invalid:4317
            serviceName: breakglass-api
            """,
            TracingConfig.class);

    assertThat(config)
        .isEqualTo(
            new TracingConfig(true, "https://collector.example.invalid:4317", "breakglass-api"));
  }

  @Test
  void givenAnEndpointWithoutScheme_itIsRefusedNamingTheField() {
    assertThatThrownBy(() -> YAML.readValue("otlpEndpoint: collector:4317", TracingConfig.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("tracing.otlpEndpoint must be an http:// or https:// URL");
  }
}
