package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.activities.config.LogScanConfig;
import io.breakglass.activities.config.MetricConfig;
import io.breakglass.activities.config.MetricWatchConfig;
import io.breakglass.activities.config.ReloadEndpointTarget;
import io.breakglass.activities.metrics.PrometheusClient;
import io.breakglass.activities.metrics.QueryResult;
import io.breakglass.activities.testing.PrometheusProcess;
import io.breakglass.worker.sample.SampleClient;
import io.breakglass.worker.sample.SampleService;
import io.breakglass.worker.sample.SampleServices;
import io.breakglass.worker.sample.SampleTraffic;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.commands.Resume;
import io.breakglass.workflows.messages.queries.CompensationState;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.ResumeAction;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * METRIC_WATCH in whole rotations, against a real Prometheus scraping the running sample service
 * every second while light traffic writes and reads through it: a healthy service passes; an
 * egress-failure spike (the service's fault switch) fails and rolls back; a stopped Prometheus
 * stops at the inconclusive gate, whose three choices each work; a raw identifier in the log fails
 * without its text reaching the rotation.
 */
class MetricWatchTest {

  private static final String REDACTIONS =
      "sum(increase(revenuepilot_prompt_redactions_total[5s]))";
  private static final String EGRESS = "sum(increase(revenuepilot_egress_failures_total[5s]))";
  private static final Duration ROTATION_WITHIN = Duration.ofMinutes(2);

  /** Light traffic: a snapshot (one redaction) about every 200 ms, as a healthy service writes. */
  private static final Duration TRAFFIC_PAUSE = Duration.ofMillis(100);

  @RegisterExtension static final TestWorkflowExtension temporal = RotationTests.extension();

  @TempDir Path root;
  private int port;
  private PrometheusProcess prometheus;
  private SampleService service;
  private SampleTraffic traffic;
  private Path log;

  /** Prometheus scrapes the port the service will take once a test has its testbed. */
  @BeforeEach
  void startPrometheus() throws Exception {
    port = SampleServices.freePort();
    Path folder = Files.createDirectories(root.resolve("prometheus"));
    prometheus = PrometheusProcess.start(folder, List.of("127.0.0.1:" + port));
    log = root.resolve("sample.log");
    Files.write(
        log,
        List.of(
            "{\"event\":\"chart_upload.saved\",\"patient_hash\":\"9f2c1ab0\"}",
            "{\"event\":\"prompt.redacted\",\"count\":2}"));
  }

  @AfterEach
  void stop() throws Exception {
    if (traffic != null) {
      traffic.close();
    }
    if (service != null) {
      service.close();
    }
    prometheus.close();
  }

  /**
   * A testbed whose backend is the sample service, reloaded through its endpoint: it must learn
   * each new key as the rotation makes it, or VERIFY_DATA finds what it writes meanwhile under the
   * old one.
   */
  private Testbed testbed() {
    return new Testbed(
        root,
        Testbed.Options.DEFAULTS
            .reload(
                new ReloadEndpointTarget(
                    SampleServices.keyringFile(root),
                    SampleServices.reloadUrl(port),
                    SampleServices.TOKEN_ENV),
                Map.of(SampleServices.TOKEN_ENV, SampleServices.TOKEN))
            .metricWatch(watch()));
  }

  /**
   * Starts the service on the testbed's database and keyring, and its traffic; PLAN's baselines
   * need Prometheus data.
   */
  private Testbed serve(Testbed testbed) {
    service = SampleService.start(SampleServices.config(root, port), testbed.app.dataSource());
    traffic = SampleTraffic.start(service.baseUri(), TRAFFIC_PAUSE);
    awaitData();
    return testbed;
  }

  private MetricWatchConfig watch() {
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
                4,
                null,
                "result > baseline * 1.5 + 1",
                0,
                0,
                EGRESS)),
        new LogScanConfig(List.of(log), 0, null));
  }

  @Test
  void aHealthyService_passesMetricWatch_andTheRotationCompletes(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationTests.startWorker(env, worker, serve(testbed()));

    RotationStatus end =
        rotate(client, options, "watch-healthy", List.of(JWT), operator(client, "watch-healthy"));
    Histories.recordIfAsked(client, "watch-healthy", "metric-watch-healthy");

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(phaseRun(end, Phase.PLAN).detail()).contains("; 1 baseline(s) captured");
    TimelineEntry watch = phaseRun(end, Phase.METRIC_WATCH);
    assertThat(watch.outcome()).isEqualTo(TimelineOutcome.SUCCEEDED);
    assertThat(watch.detail())
        .contains("redactions SUCCESSFUL: 3 successful")
        .contains("egress-failures SUCCESSFUL: 4 successful")
        .contains("log scan: 2 line(s), 1 chart_upload.saved entries, no finding");
    assertThat(measurements(end))
        .hasSize(3 + 4)
        .allMatch(e -> e.outcome() == TimelineOutcome.SUCCEEDED);
  }

  @Test
  void anEgressFailureSpike_failsMetricWatch_andTheCompensationsRollEverythingBack(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Testbed testbed = testbed();
    // Taken before the service writes: the seeded items, which the rollback must leave as they
    // were.
    Map<String, String> itemsBefore = testbed.plaintextDigestsOfEach();
    RotationTests.startWorker(env, worker, serve(testbed));
    List<String> secrets = List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT);
    // The spike starts once the rotation has changed everything: at the smoke test (or later: a
    // quick smoke test can pass between two polls of the status). From then on every chart and
    // snapshot request the traffic makes counts an egress failure.
    Operator operator = operator(client, "watch-spike").decides(ResumeAction.ROLLBACK);
    Thread spike =
        new Thread(
            () -> {
              try {
                operator.awaitStatus(
                    s -> s.phase() != null && s.phase().compareTo(Phase.SMOKE_TEST) >= 0,
                    ROTATION_WITHIN);
                new SampleClient(service.baseUri(), SampleServices.TOKEN).egressFailures(true);
              } catch (RuntimeException stopped) {
                // Interrupted: the test is over. Anything else fails on its own.
                if (!Thread.currentThread().isInterrupted()
                    && !(stopped.getCause() instanceof InterruptedException)) {
                  throw stopped;
                }
              }
            });
    spike.setDaemon(true);
    spike.start();

    RotationStatus end;
    try {
      end = rotate(client, options, "watch-spike", secrets, operator);
    } finally {
      spike.interrupt();
      traffic.close();
    }

    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(end.failure()).startsWith("ROLLED_BACK_BY_OPERATOR").contains("knowingly");
    assertThat(end.timeline())
        .anySatisfy(
            e ->
                assertThat(e.detail())
                    .startsWith("METRIC_CHECK_FAILED: metric analysis failed")
                    .contains("egress-failures FAILED"));
    assertThat(measurements(end))
        .anyMatch(
            e ->
                e.outcome() == TimelineOutcome.FAILED
                    && e.detail().startsWith("metric egress-failures"));
    assertThat(end.compensations())
        .isNotEmpty()
        .extracting(CompensationView::state)
        .containsOnly(CompensationState.DONE);
    assertThat(testbed.scan(Testbed.SNAPSHOTS).items())
        .as("snapshots the service wrote meanwhile")
        .isGreaterThan(Testbed.ROWS);
    OldVersions.assertRestoredUnderWrites(testbed, "watch-spike", secrets, itemsBefore);
  }

  @Test
  void negativeControl_withoutTheSpike_theSameRotationOfAllSecretsCompletes(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationTests.startWorker(env, worker, serve(testbed()));

    RotationStatus end =
        rotate(
            client,
            options,
            "watch-no-spike",
            List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT),
            operator(client, "watch-no-spike"));

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
  }

  @Test
  void aStoppedPrometheus_stopsAtTheInconclusiveGate_andAcceptProceeds_namingWhoAccepted(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationTests.startWorker(env, worker, serve(testbed()));
    Operator operator =
        operator(client, "watch-accept")
            .whenOpen(GateName.PROCEED, this::stopPrometheus)
            .decides(ResumeAction.ACCEPT);

    RotationStatus end = rotate(client, options, "watch-accept", List.of(JWT), operator);

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(end.timeline())
        .filteredOn(
            e -> e.phase() == Phase.METRIC_WATCH && e.outcome() == TimelineOutcome.ESCALATED)
        .singleElement()
        .satisfies(
            e -> assertThat(e.detail()).startsWith("METRIC_WATCH inconclusive, no usable data: "));
    assertThat(end.timeline())
        .filteredOn(e -> e.phase() == Phase.METRIC_WATCH && e.outcome() == TimelineOutcome.APPROVED)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("olivia");
              assertThat(e.detail()).contains("accepted by olivia");
            });
    assertThat(measurements(end))
        .anyMatch(
            e -> e.outcome() == TimelineOutcome.INCONCLUSIVE && e.detail().contains("unreachable"));
    assertThat(measurements(end)).noneMatch(e -> e.outcome() == TimelineOutcome.SUCCEEDED);
  }

  @Test
  void aStoppedPrometheus_stopsAtTheInconclusiveGate_andRollbackRollsBack(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationTests.startWorker(env, worker, serve(testbed()));
    Operator operator =
        operator(client, "watch-rollback")
            .whenOpen(GateName.PROCEED, this::stopPrometheus)
            .decides(ResumeAction.ROLLBACK);

    RotationStatus end = rotate(client, options, "watch-rollback", List.of(JWT), operator);

    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(end.failure())
        .startsWith("ROLLED_BACK_BY_OPERATOR")
        .contains("inconclusive METRIC_WATCH");
  }

  @Test
  void aStoppedPrometheus_stopsAtTheInconclusiveGate_andRetryAfterItIsBack_passes(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    RotationTests.startWorker(env, worker, serve(testbed()));
    Operator operator =
        operator(client, "watch-retry").whenOpen(GateName.PROCEED, this::stopPrometheus);
    RotationTests.start(client, options, RotationTests.emergency("watch-retry", JWT));
    RotationStatus end;
    try (operator) {
      operator.start();
      RotationStatus waiting =
          operator.awaitStatus(s -> s.pendingDecision() != null, ROTATION_WITHIN);
      assertThat(waiting.state()).isEqualTo(RotationState.AWAITING_DECISION);
      assertThat(waiting.pendingDecision().allowed())
          .containsExactly(ResumeAction.RETRY, ResumeAction.ACCEPT, ResumeAction.ROLLBACK);

      prometheus.start();
      awaitData();
      client
          .newWorkflowStub(RotationWorkflow.class, RotationWorkflow.workflowId("watch-retry"))
          .resume(new Resume("olivia", ResumeAction.RETRY, "prometheus is back"));
      end = operator.awaitEnd(ROTATION_WITHIN);
    }

    assertThat(end.state()).isEqualTo(RotationState.COMPLETED);
    assertThat(phaseRun(end, Phase.METRIC_WATCH).detail()).contains("redactions SUCCESSFUL");
  }

  @Test
  void aRawIdentifierInTheLog_failsMetricWatch_withItsLineNumber_andItsTextNowhereInTheRotation(
      TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options, Worker worker)
      throws Exception {
    Files.writeString(
        log,
        "{\"event\":\"lookup\",\"note\":\"patient 123-45-6789\"}\n",
        java.nio.file.StandardOpenOption.APPEND);
    RotationTests.startWorker(env, worker, serve(testbed()));

    RotationStatus end =
        rotate(
            client,
            options,
            "watch-log",
            List.of(JWT),
            operator(client, "watch-log").decides(ResumeAction.ROLLBACK));

    assertThat(end.state()).isEqualTo(RotationState.ROLLED_BACK);
    assertThat(end.timeline())
        .anySatisfy(
            e ->
                assertThat(e.detail())
                    .startsWith("METRIC_CHECK_FAILED: log scan: 1 finding(s)")
                    .contains(log + " line 3 SSN"));
    assertThat(end.toString()).doesNotContain("123-45-6789");
    assertThat(client.fetchHistory(RotationWorkflow.workflowId("watch-log")).toJson(false))
        .doesNotContain("123-45-6789");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static Operator operator(WorkflowClient client, String rotationId) {
    // The reload endpoint restarts the service by itself: no one confirms restarts.
    return new Operator(client, rotationId)
        .approves(GateName.PROCEED, "bob")
        .approves(GateName.REVOKE, "carol")
        .confirmsNoRestarts();
  }

  private static RotationStatus rotate(
      WorkflowClient client,
      WorkflowOptions options,
      String rotationId,
      List<String> secrets,
      Operator operator)
      throws Exception {
    RotationTests.start(
        client, options, RotationTests.emergency(rotationId, secrets.toArray(String[]::new)));
    try (operator) {
      operator.start();
      return operator.awaitEnd(ROTATION_WITHIN);
    }
  }

  private void stopPrometheus() {
    try {
      prometheus.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until both queries give a value: increase() over 5 s needs two scrapes. */
  private void awaitData() {
    PrometheusClient client = new PrometheusClient(prometheus.url(), Duration.ofSeconds(2));
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client.query(REDACTIONS) instanceof QueryResult.Value
                    && client.query(EGRESS) instanceof QueryResult.Value);
  }

  private static TimelineEntry phaseRun(RotationStatus end, Phase phase) {
    return end.timeline().stream()
        .filter(
            e ->
                e.phase() == phase
                    && e.actor().equals(TimelineEntry.SYSTEM_ACTOR)
                    && e.endedAt() != null)
        .filter(
            e -> e.outcome() == TimelineOutcome.SUCCEEDED || e.outcome() == TimelineOutcome.FAILED)
        .filter(e -> !e.detail().startsWith("metric "))
        .reduce((first, second) -> second)
        .orElseThrow();
  }

  private static List<TimelineEntry> measurements(RotationStatus end) {
    return end.timeline().stream()
        .filter(
            e ->
                e.phase() == Phase.METRIC_WATCH
                    && e.detail() != null
                    && e.detail().startsWith("metric "))
        .toList();
  }
}
