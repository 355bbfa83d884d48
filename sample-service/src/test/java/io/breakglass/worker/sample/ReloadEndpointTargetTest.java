package io.breakglass.worker.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.ReloadEndpointTarget;
import io.breakglass.activities.deploy.ReloadEndpointDeploymentTarget;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.activities.DeploymentActivities.RestartOutcome;
import io.breakglass.workflows.activities.DeploymentActivities.RestartStatus;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.temporal.failure.ApplicationFailure;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadEndpointTargetTest {

  static final String CHARTS = "artifact-encryption-key";
  static final Map<String, String> ENVIRONMENT =
      Map.of(SampleServices.TOKEN_ENV, SampleServices.TOKEN);

  @TempDir Path root;

  private LocalSecretStore store;
  private String initial;
  private SampleService service;
  private SampleClient client;

  @BeforeEach
  void start() {
    store = LocalStores.in(root);
    initial = LocalStores.initialise(store, CHARTS, 32);
    LocalStores.initialise(store, "ai-payload-encryption-key", 32);
    service =
        SampleService.start(
            SampleServices.config(root, 0), TestPostgres.newDatabase().dataSource());
    client = new SampleClient(service.baseUri(), SampleServices.TOKEN);
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void publishThenRestart_makesTheServiceRunThePublishedKeyring() {
    ReloadEndpointDeploymentTarget target =
        target(SampleServices.reloadUrl(service.port()), ENVIRONMENT);
    String fresh = newVersion();
    target.publish(
        new KeyringSpec("backend", List.of(new KeyringEntry(CHARTS, fresh, List.of(initial)))));

    RestartOutcome outcome = target.restart("r1", "PROMOTE");

    assertThat(outcome.status()).isEqualTo(RestartStatus.COMPLETED);
    assertThat(outcome.detail()).contains("reloaded its keyring");
    assertThat(client.uploadChart("patient-1", new byte[] {1, 2, 3}).keyId())
        .isEqualTo(CHARTS + ":" + fresh);
  }

  /** Negative control: a refused reload is a failed restart, and the service keeps its keyring. */
  @Test
  void aWrongToken_isARestartFailure() {
    ReloadEndpointDeploymentTarget target =
        target(SampleServices.reloadUrl(service.port()), Map.of(SampleServices.TOKEN_ENV, "wrong"));
    target.publish(
        new KeyringSpec(
            "backend", List.of(new KeyringEntry(CHARTS, newVersion(), List.of(initial)))));

    Throwable failure = catchThrowable(() -> target.restart("r1", "PROMOTE"));

    assertThat(failure).isInstanceOf(ApplicationFailure.class);
    assertThat(((ApplicationFailure) failure).getType()).isEqualTo("RESTART_FAILED");
    assertThat(failure.getMessage()).contains("401").doesNotContain("wrong");
    assertThat(client.uploadChart("patient-1", new byte[] {1}).keyId())
        .isEqualTo(CHARTS + ":" + initial);
  }

  @Test
  void aKeyringFileTheServiceCannotRead_isARestartFailure() throws Exception {
    ReloadEndpointDeploymentTarget target =
        target(SampleServices.reloadUrl(service.port()), ENVIRONMENT);
    Files.createDirectories(SampleServices.keyringFile(root).getParent());
    Files.writeString(SampleServices.keyringFile(root), "{ not json");

    Throwable failure = catchThrowable(() -> target.restart("r1", "DISTRIBUTE"));

    assertThat(((ApplicationFailure) failure).getType()).isEqualTo("RESTART_FAILED");
    assertThat(failure.getMessage()).contains("503");
  }

  @Test
  void anUnreachableService_isAnIoProblem_thatTheActivityRetries() {
    ReloadEndpointDeploymentTarget target =
        target(SampleServices.reloadUrl(SampleServices.freePort()), ENVIRONMENT);

    assertThat(catchThrowable(() -> target.restart("r1", "DISTRIBUTE")))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void aNonLoopbackUrl_orAnUnsetTokenVariable_isRefusedAtConfiguration() {
    assertThat(
            catchThrowable(
                () -> target(URI.create("http://192.0.2.10:8085/admin/reload"), ENVIRONMENT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
    assertThat(catchThrowable(() -> target(SampleServices.reloadUrl(service.port()), Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SampleServices.TOKEN_ENV);
  }

  private ReloadEndpointDeploymentTarget target(URI url, Map<String, String> environment) {
    DeploymentConfig config =
        new DeploymentConfig(
            "backend",
            DeploymentTargetType.RELOAD_ENDPOINT,
            List.of(CHARTS),
            null,
            null,
            new ReloadEndpointTarget(
                SampleServices.keyringFile(root), url, SampleServices.TOKEN_ENV));
    return new ReloadEndpointDeploymentTarget(config, environment::get);
  }

  private String newVersion() {
    String versionId = "v-" + System.nanoTime();
    store.createPending(CHARTS, versionId, new byte[32], Map.of());
    return versionId;
  }
}
