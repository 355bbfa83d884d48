package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.Test;

class WorkerDeploymentConfigTest {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).findAndRegisterModules();

  @Test
  void givenADeploymentWithABuildId_theWorkerPollsAsThatVersion() throws Exception {
    TemporalConfig config =
        YAML.readValue(
            "deployment: {name: breakglass, buildId: 2026-12-03.1}\n", TemporalConfig.class);

    WorkerOptions options = BreakglassWorker.workerOptions(config);

    assertThat(options.getDeploymentOptions().isUsingVersioning()).isTrue();
    assertThat(options.getDeploymentOptions().getVersion())
        .isEqualTo(new WorkerDeploymentVersion("breakglass", "2026-12-03.1"));
  }

  @Test
  void givenNoBuildId_theJarsVersionIsTheBuildId() throws Exception {
    TemporalConfig config =
        YAML.readValue("deployment: {name: breakglass}\n", TemporalConfig.class);

    assertThat(config.deployment().buildId())
        .isEqualTo(WorkerBuild.version())
        .matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void givenNoDeployment_theWorkerIsUnversioned() throws Exception {
    TemporalConfig config = YAML.readValue("{}", TemporalConfig.class);

    assertThat(config.deployment()).isNull();
    WorkerOptions options = BreakglassWorker.workerOptions(config);
    assertThat(
            options.getDeploymentOptions() == null
                || !options.getDeploymentOptions().isUsingVersioning())
        .isTrue();
  }

  @Test
  void givenADeploymentNameWithADot_itIsRefusedBeforeTemporalRefusesIt() {
    assertThatThrownBy(
            () -> YAML.readValue("deployment: {name: breakglass.prod}\n", TemporalConfig.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("temporal.deployment.name must not contain '.' or ':'");
    assertThatThrownBy(() -> YAML.readValue("deployment: {buildId: '7'}\n", TemporalConfig.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("temporal.deployment.name is required");
  }
}
