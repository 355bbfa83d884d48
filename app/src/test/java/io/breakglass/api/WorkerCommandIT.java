package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.secrets.LocalSecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.testing.LocalStores;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.breakglass.workflows.messages.values.Verdict;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's {@code worker} command with a YAML configuration: it connects to the
 * configured Temporal target, runs a rotation to completion, serves metrics, and stops gracefully
 * on SIGTERM.
 */
class WorkerCommandIT {

  private static final String KEY = "ai-payload-encryption-key";

  @TempDir Path folder;

  @Test
  void theWorker_runsARotationFromItsConfiguration_servesMetrics_andStopsOnSigterm()
      throws Exception {
    LocalSecretStore store = LocalStores.in(folder);
    String old = LocalStores.initialise(store, KEY, 32);
    TestPostgres.Database app = TestPostgres.newDatabase();
    TestPostgres.Database own = TestPostgres.newDatabase();
    new SnapshotTable(app, new StoreKeyring(store)).seed(120, new KeyId(KEY, old));

    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        TemporalConnection connection = TemporalConnection.open(temporal.temporalConfig())) {
      Path config = folder.resolve("breakglass.yml");
      Files.writeString(config, yaml(temporal.target(), app.url(), own.url()));
      Path log = folder.resolve("worker.log");
      Process worker =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  Path.of("target", "breakglass.jar").toString(),
                  "worker",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        URI metrics = awaitMetricsEndpoint(log);
        RotationStatus end = rotate(connection.client());
        String scrape = scrapeUntil(metrics, "temporal_workflow_completed_total");

        assertThat(end.state()).as(Files.readString(log)).isEqualTo(RotationState.COMPLETED);
        assertThat(scrape).contains("temporal_workflow_completed_total");
      } finally {
        worker.destroy();
      }
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
      assertThat(Files.readString(log)).contains("worker polling task queue breakglass-rotation");
    }
  }

  private static RotationStatus rotate(WorkflowClient client) throws InterruptedException {
    RotationWorkflow rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(RotationWorkflow.TASK_QUEUE)
                .setWorkflowId(RotationWorkflow.workflowId("from-yaml"))
                .build());
    WorkflowClient.start(
        rotation::rotate,
        new RotationRequest(
            "from-yaml", List.of(KEY), RotationKind.EMERGENCY, "alice", "it", null, null));
    // Approves each gate once, when it first finds it open, while it waits for the end.
    Set<GateName> approved = EnumSet.noneOf(GateName.class);
    return await("the rotation ends")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> approvingOpenGates(rotation, approved), status -> status.state().terminal());
  }

  /**
   * Once per gate: on a loaded machine a status can still show a gate this loop has just approved,
   * and a second approval of a closed gate is refused ("no gate is open").
   */
  private static RotationStatus approvingOpenGates(
      RotationWorkflow rotation, Set<GateName> approved) {
    RotationStatus status = rotation.status();
    if (!status.state().terminal()
        && status.pendingGate() != null
        && approved.add(status.pendingGate().gate())) {
      rotation.decide(new GateDecision(status.pendingGate().gate(), Verdict.APPROVE, "bob", "ok"));
    }
    return status;
  }

  /** The SDK reports its metrics every second: scrape until {@code series} shows up. */
  private static String scrapeUntil(URI metrics, String series) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return await(series + " scraped")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                http.send(
                        HttpRequest.newBuilder(metrics).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body(),
            scrape -> scrape.contains(series));
  }

  private static URI awaitMetricsEndpoint(Path log) throws Exception {
    Pattern endpoint = Pattern.compile("metrics at (http://[^\\s,]+)");
    Matcher matcher;
    try {
      matcher =
          await("the worker logs its metrics endpoint")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> endpoint.matcher(Files.readString(log)), Matcher::find);
    } catch (ConditionTimeoutException late) {
      throw new AssertionError("worker did not start: " + Files.readString(log), late);
    }
    return URI.create(matcher.group(1));
  }

  private String yaml(String target, String appUrl, String ownUrl) {
    return """
        temporal:
          target: %s
          disableStickyExecution: true
        metrics:
          port: 0
        databases:
          breakglass:
            driverClass: org.postgresql.Driver
            url: %s
            user: postgres
          clinic:
            driverClass: org.postgresql.Driver
            url: %s
            user: postgres
        rotation:
          secretStore:
            path: %s
            masterKeyFile: %s
          secrets:
            - name: %s
              kind: DATA_KEY
              smoke:
                allowNoChecks: true
                reason: "this test runs no service to check; the verify scan covers the data"
          dataSets:
            - name: ai-snapshots
              secret: %s
              type: POSTGRES_COLUMN
              database: clinic
              table: ai_json_snapshots
              column: payload
              associatedData: ROW_ID
              shardSize: 50
          backups:
            directory: %s
          policy:
            monitoringInterval: PT1S   # the production default (PT15M) would outlast the test
          approvals:
            allowUnsigned: true
        """
        .formatted(
            target,
            ownUrl.replace("?user=postgres", ""),
            appUrl.replace("?user=postgres", ""),
            folder.resolve("secrets.store"),
            folder.resolve("master.key"),
            KEY,
            KEY,
            folder.resolve("backups"));
  }
}
