package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACTS;
import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static io.breakglass.worker.rotation.Testbed.SNAPSHOTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breakglass.activities.config.LogScanConfig;
import io.breakglass.activities.config.MetricConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.activities.config.ReloadEndpointTarget;
import io.breakglass.activities.metrics.PrometheusClient;
import io.breakglass.activities.metrics.QueryResult;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.activities.testing.PrometheusProcess;
import io.breakglass.worker.MetricsConfig;
import io.breakglass.worker.WorkerMetrics;
import io.breakglass.worker.sample.SampleClient;
import io.breakglass.worker.sample.SampleService;
import io.breakglass.worker.sample.SampleServices;
import io.breakglass.worker.sample.SampleTraffic;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-downtime proof, end to end: one emergency rotation of both data keys while a writer and
 * a reader hammer the running sample service, which the RELOAD_ENDPOINT target reloads, the HTTP
 * smoke checks exercise, and a real Prometheus scrapes (with the worker's own metrics endpoint) for
 * METRIC_WATCH. The zero-downtime order (readers learn the new key before any writer uses it; the
 * old key stays until every item is re-encrypted) is what lets not one request fail.
 */
class ZeroDowntimeRotationTest {

  private static final String REDACTIONS =
      "sum(increase(revenuepilot_prompt_redactions_total[5s]))";
  private static final String EGRESS = "sum(increase(revenuepilot_egress_failures_total[5s]))";
  private static final String COMPLETED_ROTATIONS =
      "sum(breakglass_rotations_total{outcome=\"completed\"})";
  private static final String ROTATION_ID = "under-load";
  private static final int ENOUGH = 100;

  /** The worker's own Prometheus endpoint, which the Temporal SDK and the workflows report to. */
  private final WorkerMetrics workerMetrics =
      WorkerMetrics.start(new MetricsConfig("127.0.0.1", 0));

  @RegisterExtension
  final TestWorkflowExtension temporal = RotationTests.extension(workerMetrics.scope());

  @TempDir Path root;
  private PrometheusProcess prometheus;

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    workerMetrics.close();
  }

  @Test
  void
      aRotationUnderLoad_losesNoReadOrWrite_passesEveryCheck_revokesTheOldVersions_andLeavesEveryItemUnderTheNewKeys(
          TestWorkflowEnvironment env,
          WorkflowClient client,
          WorkflowOptions options,
          Worker worker)
          throws Exception {
    int port = SampleServices.freePort();
    prometheus =
        PrometheusProcess.start(
            Files.createDirectories(root.resolve("prometheus")),
            List.of("127.0.0.1:" + port, "127.0.0.1:" + workerMetrics.port()));
    Path serviceLog = SampleServices.config(root, port).logFile();
    Testbed testbed =
        new Testbed(
            root,
            Testbed.Options.DEFAULTS
                .reload(
                    new ReloadEndpointTarget(
                        SampleServices.keyringFile(root),
                        SampleServices.reloadUrl(port),
                        SampleServices.TOKEN_ENV),
                    Map.of(SampleServices.TOKEN_ENV, SampleServices.TOKEN))
                .smokeChecks(SampleServices.smokeChecks(port))
                .metricWatch(watch(serviceLog)));
    try (SampleService service =
            SampleService.start(SampleServices.config(root, port), testbed.app.dataSource());
        SampleTraffic traffic = SampleTraffic.start(service.baseUri(), Duration.ZERO)) {
      RotationTests.startWorker(env, worker, testbed);
      awaitPrometheusData();
      SampleTraffic.Counts before = traffic.counts();

      RotationTests.start(
          client, options, RotationTests.emergency(ROTATION_ID, ARTIFACT_KEY, PAYLOAD_KEY));
      RotationStatus end;
      try (Operator operator =
          new Operator(client, ROTATION_ID)
              .approves(GateName.PROCEED, "bob")
              .approves(GateName.REVOKE, "carol")
              .confirmsNoRestarts()
              .start()) {
        end = operator.awaitEnd(Duration.ofSeconds(75));
      }
      SampleTraffic.Counts during = traffic.counts().since(before);

      System.out.printf(
          "during the rotation: %d writes, %d reads, %d failed writes, %d failed reads%n",
          during.writes(), during.reads(), during.failedWrites(), during.failedReads());
      assertThat(end.state()).as(end.failure()).isEqualTo(RotationState.COMPLETED);
      assertThat(traffic.failures()).as("failed requests").isEmpty();
      assertThat(during.failures()).isZero();
      assertThat(during.writes()).as("writes during the rotation").isGreaterThan(ENOUGH);
      assertThat(during.reads()).as("reads during the rotation").isGreaterThan(ENOUGH);

      assertThat(end.timeline())
          .extracting(TimelineEntry::phase)
          .containsAll(EnumSet.allOf(Phase.class));
      assertThat(end.timeline())
          .extracting(TimelineEntry::outcome)
          .containsOnly(TimelineOutcome.SUCCEEDED, TimelineOutcome.APPROVED);
      assertThat(detail(end, Phase.SMOKE_TEST)).isEqualTo("12 check(s) passed");
      assertThat(testbed.history().find(ROTATION_ID).orElseThrow().validations())
          .filteredOn(v -> v.startsWith("smoke "))
          .hasSize(12)
          .allSatisfy(v -> assertThat(v).contains(": passed"));
      assertThat(detail(end, Phase.METRIC_WATCH))
          .contains(
              "redactions SUCCESSFUL: 3 successful", "egress-failures SUCCESSFUL: 3 successful")
          .containsPattern(
              "log scan: \\d+ line\\(s\\), [1-9]\\d* chart_upload.saved entries, no finding");
      assertThat(end.timeline())
          .filteredOn(
              e ->
                  e.phase() == Phase.METRIC_WATCH
                      && e.detail() != null
                      && e.detail().startsWith("metric "))
          .hasSize(3 + 3)
          .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(TimelineOutcome.SUCCEEDED));

      for (String secret : List.of(ARTIFACT_KEY, PAYLOAD_KEY)) {
        SecretVersion old =
            testbed.state(secret).version(testbed.initialVersion(secret)).orElseThrow();
        assertThat(old.status()).as(secret + " old version").isEqualTo(VersionStatus.REVOKED);
        assertThat(old.labels()).as(secret + " old version labels").isEmpty();
        assertThat(testbed.current(secret).versionId())
            .isEqualTo(VersionIds.forRotation(ROTATION_ID, secret));
      }
      // Counted before the scans: the writer keeps writing, and a write answered after a scan
      // began may be missing from it.
      long answeredWrites = traffic.counts().writes();
      assertEveryItemUnder(
          testbed.scan(SNAPSHOTS), testbed.currentKey(PAYLOAD_KEY).toString(), Testbed.ROWS);
      assertEveryItemUnder(
          testbed.scan(ARTIFACTS), testbed.currentKey(ARTIFACT_KEY).toString(), Testbed.FILES);
      assertThat(testbed.scan(SNAPSHOTS).items() + testbed.scan(ARTIFACTS).items())
          .as("seeded items plus every write, before, during and after the rotation")
          .isGreaterThanOrEqualTo(Testbed.ROWS + Testbed.FILES + answeredWrites);

      PrometheusClient query = new PrometheusClient(prometheus.url(), Duration.ofSeconds(2));
      await()
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(query.query(COMPLETED_ROTATIONS))
                      .as("the worker's own metric, scraped by Prometheus")
                      .isEqualTo(new QueryResult.Value(1)));

      // Negative control: the reader can fail. A keyring without the version every item is now
      // under (a bad rollout) makes the service refuse to decrypt them, and the reader counts it.
      long failedReadsBefore = traffic.counts().failedReads();
      publishKeyringWithout(testbed, SampleServices.keyringFile(root));
      new SampleClient(service.baseUri(), SampleServices.TOKEN).reload();
      await()
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(10))
          .until(() -> traffic.counts().failedReads() > failedReadsBefore);
      assertThat(traffic.failures()).isNotEmpty().allSatisfy(f -> assertThat(f).startsWith("GET "));
    }
  }

  private MetricWatchConfig watch(Path serviceLog) {
    return new MetricWatchConfig(
        prometheus.url(),
        Duration.ofSeconds(2),
        List.of(
            new MetricConfig(
                "redactions", REDACTIONS, Duration.ofSeconds(1), 3, "result > 0", null, 0, 0, null),
            new MetricConfig(
                "egress-failures",
                EGRESS,
                Duration.ofSeconds(1),
                3,
                null,
                "result > baseline * 1.5 + 1",
                0,
                0,
                EGRESS)),
        new LogScanConfig(List.of(serviceLog), 1_000_000, null));
  }

  /** Baselines are captured at PLAN: both queries must answer before the rotation starts. */
  private void awaitPrometheusData() {
    PrometheusClient query = new PrometheusClient(prometheus.url(), Duration.ofSeconds(2));
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                query.query(REDACTIONS) instanceof QueryResult.Value
                    && query.query(EGRESS) instanceof QueryResult.Value);
  }

  private static String detail(RotationStatus end, Phase phase) {
    return end.timeline().stream()
        .filter(
            e ->
                e.phase() == phase
                    && e.outcome() == TimelineOutcome.SUCCEEDED
                    && e.actor().equals(TimelineEntry.SYSTEM_ACTOR))
        .filter(e -> e.detail() != null && !e.detail().startsWith("metric "))
        .reduce((first, second) -> second)
        .orElseThrow()
        .detail();
  }

  private static void assertEveryItemUnder(ScanReport scan, String keyId, int seeded) {
    assertThat(scan.undecryptable()).as(scan.dataSet() + " undecryptable").isZero();
    assertThat(scan.items()).as(scan.dataSet() + " items").isGreaterThan(seeded);
    assertThat(scan.itemsUnder(keyId))
        .as(scan.dataSet() + " under " + keyId)
        .isEqualTo(scan.items());
  }

  /**
   * Publishes the keyring with each data key's primary replaced by a fresh version: a bad rollout.
   */
  private static void publishKeyringWithout(Testbed testbed, Path keyringFile) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode keyring = (ObjectNode) json.readTree(keyringFile.toFile());
    for (String secret : List.of(ARTIFACT_KEY, PAYLOAD_KEY)) {
      ObjectNode entry = (ObjectNode) keyring.path("secrets").path(secret);
      entry.put("primary", testbed.newPendingVersion(secret).versionId());
      entry.putArray("decryptOnly");
    }
    json.writeValue(keyringFile.toFile(), keyring);
  }
}
