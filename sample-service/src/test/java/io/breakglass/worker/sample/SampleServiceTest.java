package io.breakglass.worker.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.activities.config.DeploymentConfig;
import io.breakglass.activities.deploy.ManualDeploymentTarget;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.messages.values.DeploymentTargetType;
import io.breakglass.workflows.messages.values.KeyringSpec;
import io.breakglass.workflows.messages.values.KeyringSpec.KeyringEntry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleServiceTest {

  static final String CHARTS = "artifact-encryption-key";
  static final String SNAPSHOTS = "ai-payload-encryption-key";
  static final String HASH_KEY = SampleServices.HASH_KEY;
  static final String TOKEN = SampleServices.TOKEN;
  static final String PATIENT = "MRN-0042-7781";

  @TempDir Path root;

  private LocalSecretStore store;
  private Map<String, String> initial;
  private SampleService service;
  private SampleClient client;
  private ManualDeploymentTarget target;

  @BeforeEach
  void start() {
    store = LocalStores.in(root);
    initial =
        Map.of(
            CHARTS, LocalStores.initialise(store, CHARTS, 32),
            SNAPSHOTS, LocalStores.initialise(store, SNAPSHOTS, 32));
    service =
        SampleService.start(
            SampleServices.config(root, 0), TestPostgres.newDatabase().dataSource());
    client = new SampleClient(service.baseUri(), TOKEN);
    target =
        new ManualDeploymentTarget(
            new DeploymentConfig(
                "backend",
                DeploymentTargetType.MANUAL,
                List.of(CHARTS, SNAPSHOTS),
                SampleServices.keyringFile(root)));
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void itemsWrittenBeforeEachReload_stillRead_andNewWritesFollowThePrimaryOnlyOnceReloaded() {
    byte[] chart = randomChart();
    SampleClient.Stored oldChart = client.uploadChart(PATIENT, chart);
    SampleClient.Stored oldSnapshot =
        client.writeSnapshot("{\"patientId\":\"" + PATIENT + "\",\"summary\":\"before\"}");
    assertThat(oldChart.keyId()).isEqualTo(CHARTS + ":" + initial.get(CHARTS));
    assertThat(oldSnapshot.keyId()).isEqualTo(SNAPSHOTS + ":" + initial.get(SNAPSHOTS));

    String fresh = newVersion(CHARTS);
    target.publish(keyring(CHARTS, initial.get(CHARTS), fresh));
    client.reload();
    assertThat(client.uploadChart(PATIENT, randomChart()).keyId())
        .as("decrypt-only after DISTRIBUTE")
        .isEqualTo(oldChart.keyId());

    target.publish(keyring(CHARTS, fresh, initial.get(CHARTS)));
    assertThat(client.uploadChart(PATIENT, randomChart()).keyId())
        .as("published but not reloaded yet")
        .isEqualTo(oldChart.keyId());
    client.reload();
    SampleClient.Stored newChart = client.uploadChart(PATIENT, chart);

    assertThat(newChart.keyId()).isEqualTo(CHARTS + ":" + fresh);
    assertThat(client.writeSnapshot("{\"summary\":\"after\"}").keyId())
        .isEqualTo(oldSnapshot.keyId());
    HttpResponse<byte[]> old = client.readChart(oldChart.id());
    assertThat(old.statusCode()).isEqualTo(200);
    assertThat(old.body()).isEqualTo(chart);
    assertThat(old.headers().firstValue("X-Key-Id")).hasValue(oldChart.keyId());
    assertThat(client.readChart(newChart.id()).body()).isEqualTo(chart);
    JsonNode snapshot = SampleClient.json(client.readSnapshot(oldSnapshot.id()), 200);
    assertThat(snapshot.get("keyId").asText()).isEqualTo(oldSnapshot.keyId());
    assertThat(snapshot.at("/snapshot/summary").asText()).isEqualTo("before");
  }

  /**
   * Negative control: once the old version leaves the keyring (REVOKE), its items no longer read.
   */
  @Test
  void afterTheOldVersionLeavesTheKeyring_itsItemsDoNotRead_andCountAsEgressFailures() {
    SampleClient.Stored oldChart = client.uploadChart(PATIENT, randomChart());
    String fresh = newVersion(CHARTS);
    target.publish(keyring(CHARTS, fresh));
    client.reload();

    HttpResponse<byte[]> refused = client.readChart(oldChart.id());

    assertThat(refused.statusCode()).isEqualTo(500);
    assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("UNKNOWN_KEY_ID");
    assertThat(client.metrics())
        .containsPattern("(?m)^revenuepilot_egress_failures_total(\\{[^}]*})? 1\\.0$");
  }

  @Test
  void theLog_carriesTheKeyedPatientHash_andNeverTheRawPatientId() throws Exception {
    SampleClient.Stored chart = client.uploadChart(PATIENT, randomChart());
    SampleClient.Stored snapshot =
        client.writeSnapshot("{\"patientId\":\"" + PATIENT + "\",\"model\":\"gpt-4.1\"}");

    String log = Files.readString(root.resolve("logs/sample.log"));
    String expectedHash = hmacHex(HASH_KEY, PATIENT);
    assertThat(log.lines().filter(l -> l.contains("\"event\":\"chart_upload.saved\"")))
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line)
                  .contains("\"patient_hash\":\"" + expectedHash + "\"")
                  .contains(chart.id());
            });
    assertThat(log).doesNotContain(PATIENT);
    try (Stream<Path> files = Files.walk(root.resolve("artifacts"))) {
      assertThat(files.map(Path::toString)).noneMatch(p -> p.contains(PATIENT));
    }
    // Control: the raw id did reach the service; it is left out of the log on purpose.
    assertThat(new String(client.readSnapshot(snapshot.id()).body(), StandardCharsets.UTF_8))
        .contains(PATIENT);
    assertThat(expectedHash).isNotEqualTo(hmacHex("another-key", PATIENT));
  }

  @Test
  void metrics_countARedactionPerSnapshot_andEgressFailuresOnlyWhileTheFaultIsOn() {
    client.writeSnapshot("{\"n\":1}");
    client.writeSnapshot("{\"n\":2}");
    assertThat(client.metrics())
        .containsPattern("(?m)^revenuepilot_prompt_redactions_total(\\{[^}]*})? 2\\.0$")
        .containsPattern("(?m)^revenuepilot_egress_failures_total(\\{[^}]*})? 0\\.0$");

    client.egressFailures(true);
    client.writeSnapshot("{\"n\":3}");
    client.uploadChart(PATIENT, randomChart());
    client.egressFailures(false);
    client.writeSnapshot("{\"n\":4}");

    assertThat(client.metrics())
        .containsPattern("(?m)^revenuepilot_prompt_redactions_total(\\{[^}]*})? 4\\.0$")
        .containsPattern("(?m)^revenuepilot_egress_failures_total(\\{[^}]*})? 2\\.0$");
  }

  @Test
  void aReloadWithoutTheToken_isRefused_andChangesNothing() {
    String fresh = newVersion(CHARTS);
    target.publish(keyring(CHARTS, fresh, initial.get(CHARTS)));

    assertThat(client.reload(null).statusCode()).isEqualTo(401);
    assertThat(client.reload("not-the-token").statusCode()).isEqualTo(401);
    assertThat(client.uploadChart(PATIENT, randomChart()).keyId())
        .isEqualTo(CHARTS + ":" + initial.get(CHARTS));
    assertThat(client.reload(TOKEN).statusCode()).isEqualTo(200);
    assertThat(client.uploadChart(PATIENT, randomChart()).keyId()).isEqualTo(CHARTS + ":" + fresh);
  }

  private String newVersion(String secret) {
    byte[] material = new byte[32];
    new SecureRandom().nextBytes(material);
    String versionId = "v-" + System.nanoTime();
    store.createPending(secret, versionId, material, Map.of());
    return versionId;
  }

  private static KeyringSpec keyring(String secret, String primary, String... decryptOnly) {
    return new KeyringSpec(
        "backend", List.of(new KeyringEntry(secret, primary, List.of(decryptOnly))));
  }

  private static byte[] randomChart() {
    byte[] chart = new byte[2_048];
    new SecureRandom().nextBytes(chart);
    return chart;
  }

  static String hmacHex(String key, String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }
}
