package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dropwizard.configuration.ConfigurationValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample service's example in deploy/ is a valid configuration. */
class SampleServiceConfigurationTest {

  private static final Path EXAMPLE = Path.of("..", "deploy", "config", "sample-service.yml");

  private static final Map<String, String> ENVIRONMENT =
      Map.of(
          "SAMPLE_PATIENT_HASH_KEY", "hash-key",
          "SAMPLE_RELOAD_TOKEN", "reload-token",
          "SAMPLE_DB_URL", "jdbc:postgresql://127.0.0.1/clinic",
          "SAMPLE_DB_USER", "clinic",
          "SAMPLE_DB_PASSWORD", "not-a-password");

  @Test
  void theDeployExample_parsesAndValidates_andItsToStringHidesTheKeyAndToken() throws Exception {
    SampleServiceConfiguration configuration = load(EXAMPLE);

    assertThat(configuration.getService().port()).isEqualTo(8085);
    assertThat(configuration.getService().keyringFile())
        .isEqualTo(Path.of(".breakglass/keyrings/backend.json"));
    assertThat(configuration.getService().reloadToken()).isEqualTo("reload-token");
    assertThat(configuration.getService().toString()).doesNotContain("reload-token", "hash-key");
  }

  @Test
  void negativeControl_withoutAReloadToken_itIsRefusedByValidation(@TempDir Path folder)
      throws Exception {
    Path broken = folder.resolve("broken.yml");
    Files.writeString(broken, Files.readString(EXAMPLE).replaceAll("(?m)^  reloadToken:.*\n", ""));

    Throwable refused = catchThrowable(() -> load(broken));

    assertThat(refused)
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("reloadToken");
  }

  private static SampleServiceConfiguration load(Path file) throws Exception {
    return ExampleFiles.load(SampleServiceConfiguration.class, file, ENVIRONMENT);
  }
}
