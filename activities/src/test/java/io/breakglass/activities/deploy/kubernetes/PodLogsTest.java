package io.breakglass.activities.deploy.kubernetes;

import static io.breakglass.activities.testing.KubernetesWorkload.DEPLOYMENT;
import static io.breakglass.activities.testing.KubernetesWorkload.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.breakglass.activities.config.LogScanConfig;
import io.breakglass.activities.logscan.LogLine;
import io.breakglass.activities.logscan.LogScanner;
import io.breakglass.activities.logscan.LogSource;
import io.breakglass.activities.testing.KubernetesWorkload;
import io.breakglass.workflows.activities.MetricWatchActivities.LogFinding;
import io.breakglass.workflows.activities.MetricWatchActivities.LogScanReport;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class PodLogsTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void pods() {
    KubernetesWorkload.create(client);
    pod(
        DEPLOYMENT + "-7f9c-a",
        DEPLOYMENT,
        "chart_upload.saved patient_hash=1f2e\nchart_upload.saved patient_hash=9a8b\n");
    pod(DEPLOYMENT + "-7f9c-b", DEPLOYMENT, "chart_upload.saved patient_hash=77aa\n");
    pod("reports-5d4b-a", "reports", "not a line of the backend\n");
  }

  @Test
  void everyContainerOfTheDeploymentsPods_isASource_readingItsLastLines_andNoOtherPodIsRead()
      throws Exception {
    List<LogSource> sources = new PodLogs(client, NAMESPACE, DEPLOYMENT).sources();

    assertThat(sources)
        .extracting(LogSource::name)
        .containsExactly(
            NAMESPACE + "/" + DEPLOYMENT + "-7f9c-a/app",
            NAMESPACE + "/" + DEPLOYMENT + "-7f9c-b/app");
    assertThat(sources.get(0).recent(2))
        .extracting(LogLine::number, LogLine::text)
        .containsExactly(
            tuple(1L, "chart_upload.saved patient_hash=1f2e"),
            tuple(2L, "chart_upload.saved patient_hash=9a8b"));
    assertThat(sources.get(1).recent(2))
        .extracting(LogLine::text)
        .containsExactly("chart_upload.saved patient_hash=77aa");
  }

  @Test
  void theLogScan_overThePodsLogs_namesThePodAndLineOfAPlantedIdentifier_andPassesCleanPods() {
    pod(DEPLOYMENT + "-7f9c-c", DEPLOYMENT, "{\"event\":\"lookup\",\"msg\":\"ssn 123-45-6789\"}\n");
    LogScanner scanner = new LogScanner(new LogScanConfig(null, 0, null).compiledPatterns(), 10);

    LogScanReport report = scanner.scan(new PodLogs(client, NAMESPACE, DEPLOYMENT).sources(), 2);

    assertThat(report.findings())
        .extracting(LogFinding::source, LogFinding::line, LogFinding::rule)
        .containsExactly(tuple(NAMESPACE + "/" + DEPLOYMENT + "-7f9c-c/app", 1L, "SSN"));
    assertThat(report.toString()).doesNotContain("123-45-6789");
  }

  @Test
  void aPodGoneBeforeItsLogIsRead_isReportedUnreadable_andTheScanGoesOn() {
    // What the API server answers for the log of a pod that does not exist.
    server
        .expect()
        .get()
        .withPath(KubernetesWorkload.logPath(NAMESPACE, DEPLOYMENT + "-gone", "app", 2))
        .andReturn(
            404,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"reason\":\"NotFound\",\"code\":404}")
        .once();
    List<LogSource> sources =
        List.of(
            new ContainerLog(client, NAMESPACE, DEPLOYMENT + "-gone", "app"),
            new PodLogs(client, NAMESPACE, DEPLOYMENT).sources().get(1));
    LogScanner scanner = new LogScanner(new LogScanConfig(null, 0, null).compiledPatterns(), 10);

    LogScanReport report = scanner.scan(sources, 2);

    assertThat(report.unreadable())
        .containsExactly(
            NAMESPACE + "/" + DEPLOYMENT + "-gone/app: cannot be read (FileNotFoundException)");
    assertThat(report.linesRead()).isEqualTo(1);
  }

  /**
   * A running pod of {@code app} whose container logged {@code log} (the last 2 lines are served).
   */
  private void pod(String name, String app, String log) {
    client
        .pods()
        .inNamespace(NAMESPACE)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", app)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("registry.example.invalid/" + app + ":1")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .endStatus()
                .build())
        .create();
    server
        .expect()
        .get()
        .withPath(KubernetesWorkload.logPath(NAMESPACE, name, "app", 2))
        .andReturn(200, log)
        .always();
  }
}
