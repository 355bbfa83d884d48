package io.breakglass.worker.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.deploy.ManualDeploymentTarget;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.activities.verify.VerificationActivitiesImpl;
import io.breakglass.workflows.activities.VerificationActivities.CheckResult;
import io.breakglass.workflows.activities.VerificationActivities.SmokeReport;
import io.breakglass.workflows.activities.VerificationActivities.SmokeTestRequest;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.SecretKind;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample service's {@code tests/test_security_controls.py}, run by real pytest ({@code python3
 * -m pytest}) as a {@code command} smoke check of SMOKE_TEST, beside the jwt check, after a jwt
 * rotation: it passes against the sample service, and fails against a service that accepts any
 * token and echoes the patient identifier (the negative control: the pytest tests can fail).
 */
class SecurityControlTestsTest {

  private static final String JWT = "jwt";

  @TempDir Path root;
  private LocalSecretStore store;
  private String oldJwt;
  private SampleService service;
  private HttpServer leaky;

  @BeforeEach
  void start() {
    store = LocalStores.in(root);
    LocalStores.initialise(store, "artifact-encryption-key", 32);
    LocalStores.initialise(store, "ai-payload-encryption-key", 32);
    oldJwt = LocalStores.initialise(store, JWT, 64);
    service =
        SampleService.start(
            SampleServices.config(root, 0), TestPostgres.newDatabase().dataSource());
  }

  @AfterEach
  void stop() {
    service.close();
    if (leaky != null) {
      leaky.stop(0);
    }
  }

  @Test
  void thePytestSecurityControls_passAgainstTheSampleService_asASmokeCheckBesideTheJwtCheck() {
    NewVersion rotated = rotateJwtAndReload();

    SmokeReport report = smokeTest(rotated, service.baseUri());

    assertThat(report.passed()).as(report.toString()).isTrue();
    CheckResult pytest = pytest(report);
    assertThat(pytest.detail())
        .startsWith(
            "python3 -m pytest -q -p no:cacheprovider tests/test_security_controls.py --service-url "
                + service.baseUri()
                + " exited with 0;")
        .contains("7 passed");
  }

  /**
   * Negative control: a service that accepts any token and echoes the patient id fails pytest, so
   * SMOKE_TEST.
   */
  @Test
  void negativeControl_thePytestSecurityControls_failAgainstALeakyService_andSoDoesTheSmokeTest()
      throws Exception {
    NewVersion rotated = rotateJwtAndReload();
    URI leakyService = startLeakyService();

    SmokeReport report = smokeTest(rotated, leakyService);

    assertThat(report.passed()).isFalse();
    CheckResult pytest = pytest(report);
    assertThat(pytest.passed()).isFalse();
    assertThat(pytest.detail())
        .contains("exited with 1", "failed")
        .contains("test_session_refuses_a_token_signed_with_an_unknown_key")
        .contains("test_a_chart_upload_answers_without_the_raw_patient_identifier");
    assertThat(report.checks())
        .filteredOn(c -> c.name().equals("jwt session"))
        .singleElement()
        .satisfies(
            c -> assertThat(c.passed()).as("the real service still passes its own check").isTrue());
  }

  private SmokeReport smokeTest(NewVersion rotated, URI pytestTarget) {
    List<HttpCheckConfig> checks =
        List.of(
            SampleSmokeChecks.against(service.baseUri()).stream()
                .filter(c -> c.name().equals("jwt session"))
                .findFirst()
                .orElseThrow(),
            SecurityControlTests.check(
                SecurityControlTests.install(root.resolve("sample-service")), pytestTarget));
    var notRotated =
        io.breakglass.activities.config.SecretSmokeConfig.allowNoChecks("not rotated in this test");
    RotationSettings settings =
        new RotationSettings(
            new LocalSecretStoreConfig(
                root.resolve("secrets.store"), null, root.resolve("master.key")),
            List.of(
                new SecretConfig("artifact-encryption-key", SecretKind.DATA_KEY)
                    .withSmoke(notRotated),
                new SecretConfig("ai-payload-encryption-key", SecretKind.DATA_KEY)
                    .withSmoke(notRotated),
                new SecretConfig(JWT, SecretKind.SIGNING_SECRET)),
            List.of(),
            List.of(),
            null,
            new BackupConfig(root.resolve("backups"), 0),
            null,
            null,
            null,
            checks);
    VerificationActivitiesImpl verification =
        new VerificationActivitiesImpl(settings, new ProtectedDataSets(settings, Map.of()), store);
    return verification.smokeTest(new SmokeTestRequest("r1", List.of(rotated), List.of()));
  }

  private static CheckResult pytest(SmokeReport report) {
    return report.checks().stream()
        .filter(c -> c.name().equals("security controls (pytest)"))
        .findFirst()
        .orElseThrow();
  }

  /**
   * CREATE_VERSION, PROMOTE and the restart: a new jwt version, CURRENT, and the service reloaded.
   */
  private NewVersion rotateJwtAndReload() {
    byte[] material = new byte[64];
    new SecureRandom().nextBytes(material);
    String version = "v-" + System.nanoTime();
    store.createPending(JWT, version, material, Map.of());
    store.moveCurrent(JWT, version);
    new ManualDeploymentTarget(
            new DeploymentConfig(
                "backend",
                DeploymentTargetType.MANUAL,
                List.of(JWT),
                SampleServices.keyringFile(root)))
        .publish(
            new KeyringSpec("backend", List.of(new KeyringEntry(JWT, version, List.of(oldJwt)))));
    new SampleClient(service.baseUri(), SampleServices.TOKEN).reload();
    return new NewVersion(JWT, version, oldJwt, null);
  }

  /** Healthy, but opens a session for any token and answers a chart upload with the patient id. */
  private URI startLeakyService() throws Exception {
    leaky = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    leaky.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String body =
              path.equals("/health")
                  ? "{\"status\":\"UP\"}"
                  : path.equals("/session")
                      ? "{\"subject\":\"anyone\",\"keyId\":\"jwt:any\"}"
                      : path.startsWith("/charts/")
                          ? "{\"artifact\":\"a1\",\"keyId\":\"k\",\"patient\":\""
                              + path.substring(8)
                              + "\"}"
                          : "";
          int status = path.startsWith("/charts/") ? 201 : 200;
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
          }
          exchange.close();
        });
    leaky.start();
    return URI.create("http://127.0.0.1:" + leaky.getAddress().getPort());
  }
}
