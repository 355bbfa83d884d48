package io.breakglass.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.activities.testing.ChildJvm;
import io.breakglass.worker.ThisMachine;
import io.breakglass.workflows.RotationSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code temporal server start-dev} as a child process: started, reachable, and never orphaned. */
class TemporalDevServerTest {

  @TempDir Path folder;

  @Test
  void theServer_servesOnLoopbackOnly_withTheWebUiAndEverySearchAttributeRegistered()
      throws Exception {
    Path cli = RealTemporal.cliOrSkip();
    URI codec = URI.create("http://127.0.0.1:8080/codec");
    try (TemporalDevServer server = TemporalDevServer.start(options(cli).codecEndpoint(codec))) {
      assertThat(server.target()).isEqualTo("127.0.0.1:" + server.port());
      assertThat(ThisMachine.accepts(InetAddress.getLoopbackAddress(), server.port())).isTrue();
      Optional<InetAddress> external = ThisMachine.nonLoopbackAddress();
      if (external.isPresent()) {
        assertThat(ThisMachine.accepts(external.get(), server.port()))
            .as("reachable on %s", external.get())
            .isFalse();
      }

      // The settings the Web UI's pages load: the codec endpoint is what decodes payloads there.
      URI settings = server.webUi().orElseThrow().resolve("/api/v1/settings");
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(settings).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"Endpoint\":\"" + codec + "\"");

      Map<String, IndexedValueType> registered = searchAttributes(server);
      for (SearchAttributeKey<?> key : RotationSearchAttributes.ALL) {
        assertThat(registered).containsEntry(key.getName(), key.getValueType());
      }
    }
  }

  @Test
  void close_stopsTheServer() throws Exception {
    Path cli = RealTemporal.cliOrSkip();
    TemporalDevServer server = TemporalDevServer.start(options(cli));
    ProcessHandle process = ProcessHandle.of(server.pid()).orElseThrow();

    server.close();

    assertThat(process.isAlive()).isFalse();
    assertThat(ThisMachine.accepts(InetAddress.getLoopbackAddress(), server.port())).isFalse();
  }

  @Test
  void aServerLeftRunningOnTheDatabaseFile_isStoppedBeforeTheNextStart_andOneOnAnotherFileIsNot()
      throws Exception {
    Path cli = RealTemporal.cliOrSkip();
    try (TemporalDevServer server = TemporalDevServer.start(options(cli))) {
      ProcessHandle process = ProcessHandle.of(server.pid()).orElseThrow();

      OrphanTemporalServer.stopIfRunning(folder.resolve("another.db"));
      assertThat(process.isAlive()).as("negative control: another database file").isTrue();

      OrphanTemporalServer.stopIfRunning(folder.resolve("temporal.db"));
      assertThat(process.isAlive()).isFalse();
    }
  }

  /**
   * A JVM killed with SIGKILL runs no shutdown hook; the watchdog still stops its server. The
   * negative control is the server alive while its JVM lives.
   */
  @Test
  void aJvmKilledWithSigkill_leavesNoServerBehind() throws Exception {
    Path cli = RealTemporal.cliOrSkip();
    long serverPid;
    try (ChildJvm jvm =
        ChildJvm.start(
            DevServerMain.class, folder.resolve("jvm.log"), cli.toString(), folder.toString())) {
      String ready = jvm.awaitLine(DevServerMain.READY);
      serverPid = Long.parseLong(ready.substring(DevServerMain.READY.length()).strip());
      ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
      await("the server while its JVM lives")
          .during(Duration.ofMillis(1_500))
          .atMost(Duration.ofSeconds(5))
          .until(server::isAlive);

      jvm.kill();

      await("server pid " + serverPid + " ends after its JVM was killed")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !server.isAlive());
    }
  }

  private TemporalDevServer.Options options(Path cli) {
    return TemporalDevServer.Options.of(
        cli, folder.resolve("temporal.db"), folder.resolve("temporal.log"));
  }

  private static Map<String, IndexedValueType> searchAttributes(TemporalDevServer server) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(server.target())
                .validateAndBuildWithDefaults());
    try {
      return operator
          .blockingStub()
          .listSearchAttributes(
              ListSearchAttributesRequest.newBuilder()
                  .setNamespace(TemporalDevServer.NAMESPACE)
                  .build())
          .getCustomAttributesMap();
    } finally {
      operator.shutdownNow();
    }
  }
}
