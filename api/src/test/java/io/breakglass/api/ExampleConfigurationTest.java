package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example in deploy/ is a valid configuration, so the documentation cannot drift. */
class ExampleConfigurationTest {

  private static final Path EXAMPLE = Path.of("..", "deploy", "config", "breakglass.yml");

  private static final Map<String, String> ENVIRONMENT =
      Map.of(
          "TEMPORAL_TARGET", "temporal.example.invalid:7233",
          "TEMPORAL_NAMESPACE", "breakglass",
          "BREAKGLASS_DB_URL", "jdbc:postgresql://db.example.invalid/breakglass",
          "BREAKGLASS_DB_USER", "breakglass",
          "BREAKGLASS_DB_PASSWORD", "not-a-password",
          "CLINIC_DB_URL", "jdbc:postgresql://db.example.invalid/clinic",
          "CLINIC_DB_USER", "breakglass_rotator",
          "CLINIC_DB_PASSWORD", "not-a-password");

  @Test
  void theDeployExample_parsesAndValidates() throws Exception {
    BreakglassConfiguration configuration = load(EXAMPLE);

    assertThat(configuration.getTemporal().target()).isEqualTo("temporal.example.invalid:7233");
    assertThat(configuration.getTemporal().codec().keys().get(0).env()).isEqualTo("BREAKGLASS_CODEC_KEY");
    assertThat(configuration.getCodecServer().allowedOrigins()).containsExactly("https://temporal-ui.example.com");
    assertThat(configuration.getDatabases()).containsOnlyKeys("breakglass", "clinic");
    assertThat(configuration.getRotation().secrets()).hasSize(4);
    assertThat(configuration.getRotation().dataSets()).hasSize(2);
    assertThat(configuration.getRotation().notifications().webhooks()).hasSize(3);
    assertThat(configuration.getRotation().metricWatch().metrics())
        .extracting(m -> m.name())
        .containsExactly("redactions", "egress-failures");
    assertThat(configuration.getRotation().metricWatch().logScan().compiledPatterns())
        .containsOnlyKeys("DOB", "MRN", "NAME", "SSN");
  }

  @Test
  void negativeControl_aMalformedMetricCondition_isRefusedNamingTheMetric(@TempDir Path folder)
      throws Exception {
    Path broken = folder.resolve("broken.yml");
    Files.writeString(
        broken,
        Files.readString(EXAMPLE).replace("successCondition: result > 0", "successCondition: result >> 0"));

    Throwable refused = catchThrowable(() -> load(broken));

    assertThat(refused).hasMessageContaining("metric redactions: condition 'result >> 0'");
  }

  @Test
  void negativeControl_aDataSetWithoutItsSecret_isRefusedByValidation(@TempDir Path folder) throws Exception {
    Path broken = folder.resolve("broken.yml");
    Files.writeString(broken, Files.readString(EXAMPLE).replace("      secret: ai-payload-encryption-key\n", ""));

    Throwable refused = catchThrowable(() -> load(broken));

    assertThat(refused).isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("secret");
  }

  private static BreakglassConfiguration load(Path file) throws Exception {
    return new YamlConfigurationFactory<>(
            BreakglassConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(
            new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new StringSubstitutor(ENVIRONMENT)),
            file.toString());
  }
}
