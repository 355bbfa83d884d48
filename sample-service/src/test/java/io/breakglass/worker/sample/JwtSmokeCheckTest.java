package io.breakglass.worker.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.config.BackupConfig;
import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.LocalSecretStoreConfig;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.config.SecretSmokeConfig;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jwt smoke check the sample service ships ({@code jwt session}) against its JWT-protected
 * {@code GET /session}, through the verification activity: SMOKE_TEST passes only when the service
 * verifies tokens with the new version, and the refusal check after REVOKE passes only when the
 * service refuses a token of the revoked one. Neither a token nor the secret reaches a result or
 * the service's log.
 */
class JwtSmokeCheckTest {

  private static final String CHARTS = "artifact-encryption-key";
  private static final String SNAPSHOTS = "ai-payload-encryption-key";
  private static final String JWT = "jwt";
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  @TempDir Path root;
  private LocalSecretStore store;
  private String oldJwt;
  private SampleService service;
  private SampleClient client;
  private ManualDeploymentTarget target;
  private VerificationActivitiesImpl verification;

  @BeforeEach
  void start() {
    store = LocalStores.in(root);
    LocalStores.initialise(store, CHARTS, 32);
    LocalStores.initialise(store, SNAPSHOTS, 32);
    oldJwt = LocalStores.initialise(store, JWT, 64);
    service =
        SampleService.start(
            SampleServices.config(root, 0), TestPostgres.newDatabase().dataSource());
    client = new SampleClient(service.baseUri(), SampleServices.TOKEN);
    target =
        new ManualDeploymentTarget(
            new DeploymentConfig(
                "backend",
                DeploymentTargetType.MANUAL,
                List.of(CHARTS, SNAPSHOTS, JWT),
                SampleServices.keyringFile(root)));
    List<HttpCheckConfig> jwtCheck =
        SampleSmokeChecks.against(service.baseUri()).stream()
            .filter(c -> c.name().equals("jwt session"))
            .toList();
    SecretSmokeConfig notChecked = SecretSmokeConfig.allowNoChecks("not rotated in this test");
    RotationSettings settings =
        new RotationSettings(
            new LocalSecretStoreConfig(
                root.resolve("secrets.store"), null, root.resolve("master.key")),
            List.of(
                new SecretConfig(CHARTS, SecretKind.DATA_KEY).withSmoke(notChecked),
                new SecretConfig(SNAPSHOTS, SecretKind.DATA_KEY).withSmoke(notChecked),
                new SecretConfig(JWT, SecretKind.SIGNING_SECRET)),
            List.of(),
            List.of(),
            null,
            new BackupConfig(root.resolve("backups"), 0),
            null,
            null,
            null,
            jwtCheck);
    verification =
        new VerificationActivitiesImpl(settings, new ProtectedDataSets(settings, Map.of()), store);
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void theJwtCheck_passes_whenTheServiceVerifiesTokensWithTheNewVersion() {
    NewVersion rotated = rotateJwt();
    target.publish(keyring(rotated.versionId(), oldJwt)); // PROMOTE: new primary, old verify-only
    client.reload();

    SmokeReport report = smokeTest(rotated);

    assertThat(report.passed()).as(report.toString()).isTrue();
    assertThat(session(report).detail())
        .isEqualTo(
            "GET "
                + service.baseUri()
                + "/session answered 200 to a token signed with "
                + rotated.newKeyId()
                + "; /keyId = ${keyId:jwt}");
    assertThat(result(report, "coverage jwt").detail()).isEqualTo("covered by jwt session");
  }

  /** Negative control: the service was never given the new version (no restart after PROMOTE). */
  @Test
  void negativeControl_theJwtCheck_fails_whenTheServiceStillUsesTheOldSecret() {
    NewVersion rotated = rotateJwt();

    SmokeReport report = smokeTest(rotated);

    assertThat(report.passed()).isFalse();
    assertThat(session(report).passed()).isFalse();
    assertThat(session(report).detail())
        .isEqualTo(
            "GET "
                + service.baseUri()
                + "/session answered 401 to a token signed with "
                + rotated.newKeyId()
                + ", expected 200");
  }

  @Test
  void afterRevoke_theRefusalCheck_passes_whenTheServiceRefusesATokenOfTheRevokedVersion() {
    NewVersion rotated = rotateJwt();
    store.revoke(JWT, oldJwt, "r1");
    target.publish(keyring(rotated.versionId())); // REVOKE: the old version leaves the keyring
    client.reload();

    SmokeReport report =
        verification.refusalCheck(new SmokeTestRequest("r1", List.of(rotated), List.of()));

    assertThat(report.checks())
        .singleElement()
        .satisfies(
            check -> {
              assertThat(check.name()).isEqualTo("revoked jwt session");
              assertThat(check.passed()).isTrue();
              assertThat(check.detail())
                  .isEqualTo(
                      "GET "
                          + service.baseUri()
                          + "/session answered 401 to a token signed with revoked version "
                          + rotated.oldKeyId());
            });
  }

  /**
   * Negative control: REVOKE never reached the service, which still verifies with the old secret.
   */
  @Test
  void negativeControl_afterRevoke_theRefusalCheck_fails_whenTheServiceStillAcceptsTheOldSecret() {
    NewVersion rotated = rotateJwt();
    target.publish(keyring(rotated.versionId(), oldJwt));
    client.reload();

    SmokeReport report =
        verification.refusalCheck(new SmokeTestRequest("r1", List.of(rotated), List.of()));

    assertThat(report.passed()).isFalse();
    assertThat(report.checks())
        .singleElement()
        .satisfies(
            check ->
                assertThat(check.detail())
                    .isEqualTo(
                        "GET "
                            + service.baseUri()
                            + "/session answered 200 to a token signed with revoked version "
                            + rotated.oldKeyId()
                            + ", expected 401: the service still accepts the revoked secret"));
  }

  @Test
  void noTokenAndNoSecretMaterial_reachAResultOrTheServiceLog() throws Exception {
    NewVersion rotated = rotateJwt();
    List<String> reports = new ArrayList<>();
    reports.add(smokeTest(rotated).toString()); // refused: the service has the old version only
    target.publish(keyring(rotated.versionId(), oldJwt));
    client.reload();
    reports.add(smokeTest(rotated).toString());
    reports.add(
        verification
            .refusalCheck(new SmokeTestRequest("r1", List.of(rotated), List.of()))
            .toString());
    String log = Files.readString(root.resolve("logs/sample.log"));

    List<String> material = new ArrayList<>();
    for (String version : List.of(oldJwt, rotated.versionId())) {
      byte[] key = store.material(JWT, version);
      material.add(HexFormat.of().formatHex(key));
      material.add(Base64.getEncoder().encodeToString(key));
      material.add(BASE64URL.encodeToString(key));
    }
    for (String text : List.of(String.join("\n", reports), log)) {
      assertThat(text).doesNotContain("eyJ"); // every JWT starts with base64url("{\"")
      material.forEach(m -> assertThat(text).doesNotContain(m));
    }
    assertThat(log)
        .as("the refusal is logged, with its reason")
        .contains("\"event\":\"session.refused\"")
        .contains("no version in the keyring signed it");
  }

  @Test
  void theSessionEndpoint_refusesNoToken_algNone_anExpiredToken_andATamperedOne() throws Exception {
    byte[] key = store.material(JWT, oldJwt);
    long now = Instant.now().getEpochSecond();
    String valid = signed(unsigned("HS256", now + 60), key);
    String expired = signed(unsigned("HS256", now - 1), key);
    String none = unsigned("none", now + 60) + ".";
    String tampered = valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA");

    assertThat(openSession(null)).isEqualTo(401);
    assertThat(openSession(none)).isEqualTo(401);
    assertThat(openSession(expired)).isEqualTo(401);
    assertThat(openSession(tampered)).isEqualTo(401);
    assertThat(openSession(valid))
        .as("negative control: the same token, untouched and current")
        .isEqualTo(200);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** CREATE_VERSION and PROMOTE in the store: a new 64-byte jwt version, CURRENT. */
  private NewVersion rotateJwt() {
    byte[] material = new byte[64];
    new SecureRandom().nextBytes(material);
    String version = "v-" + System.nanoTime();
    store.createPending(JWT, version, material, Map.of());
    store.moveCurrent(JWT, version);
    return new NewVersion(JWT, version, oldJwt, null);
  }

  private SmokeReport smokeTest(NewVersion rotated) {
    return verification.smokeTest(new SmokeTestRequest("r1", List.of(rotated), List.of()));
  }

  private static CheckResult session(SmokeReport report) {
    return result(report, "jwt session");
  }

  private static CheckResult result(SmokeReport report, String name) {
    return report.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private static KeyringSpec keyring(String primary, String... verifyOnly) {
    return new KeyringSpec("backend", List.of(new KeyringEntry(JWT, primary, List.of(verifyOnly))));
  }

  private int openSession(String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(service.baseUri().resolve("/session")).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Header and claims of a token of the old jwt version, unsigned. */
  private String unsigned(String alg, long exp) {
    String header =
        "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + JWT + ":" + oldJwt + "\"}";
    String claims = "{\"sub\":\"test\",\"exp\":" + exp + "}";
    return BASE64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + BASE64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
  }

  private static String signed(String unsigned, byte[] key) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return unsigned
        + "."
        + BASE64URL.encodeToString(mac.doFinal(unsigned.getBytes(StandardCharsets.US_ASCII)));
  }
}
