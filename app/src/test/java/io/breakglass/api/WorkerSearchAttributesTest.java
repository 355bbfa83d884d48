package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.breakglass.api.cli.WorkerCommand;
import io.breakglass.worker.MissingSearchAttributesException;
import io.breakglass.worker.embedded.TemporalCli;
import io.breakglass.worker.embedded.TemporalDevServer;
import io.breakglass.workflows.RotationSearchAttributes;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worker config.yml} on a real Temporal server whose namespace lacks Breakglass's search
 * attributes: it refuses to start with one line on stderr, and with {@code
 * temporal.registerSearchAttributes: true} it registers them and goes on.
 */
class WorkerSearchAttributesTest {

  /** The variable under which CI turns a missing Temporal CLI into a failure. */
  private static final String REQUIRED = "BREAKGLASS_REQUIRE_REAL_TEMPORAL";

  @TempDir Path folder;

  private record Run(Optional<Throwable> failure, String out, String err) {}

  @Test
  void onANamespaceWithoutThem_theWorkerRefusesInOneLine_andWithTheSwitchItRegistersThem()
      throws Exception {
    Path cli = TemporalCli.find().orElse(null);
    if (cli == null && System.getenv(REQUIRED) != null) {
      fail(REQUIRED + " is set but " + TemporalCli.MISSING);
    }
    assumeTrue(
        cli != null, "the real Temporal server is not installed here: " + TemporalCli.MISSING);
    // start-dev registers the attributes in its own namespace only; "bare" gets none.
    try (TemporalDevServer server =
        TemporalDevServer.start(
            TemporalDevServer.Options.of(
                cli, folder.resolve("temporal.db"), folder.resolve("temporal.log")))) {
      String namespace = "bare";
      registerNamespace(cli, server, namespace);

      Run refused = worker(yaml(server.target(), namespace, false));

      assertThat(refused.failure())
          .as(refused.err())
          .containsInstanceOf(MissingSearchAttributesException.class);
      assertThat(refused.err())
          .isEqualTo(
              "worker: " + refused.failure().orElseThrow().getMessage() + System.lineSeparator());
      assertThat(refused.err())
          .startsWith(
              "worker: namespace bare on "
                  + server.target()
                  + " lacks the search attributes"
                  + " BreakglassRotationId, BreakglassSecrets, BreakglassKind, BreakglassPhase, BreakglassState,"
                  + " BreakglassInitiator")
          .contains(
              "temporal operator search-attribute create --address "
                  + server.target()
                  + " --namespace bare");
      assertThat(registered(server, namespace)).isEmpty();

      // With the switch the check passes and the worker goes on, here to its database, which this
      // configuration points nowhere: it fails there, after registering the attributes.
      Run allowed = worker(yaml(server.target(), namespace, true));

      assertThat(allowed.failure())
          .isPresent()
          .get()
          .isNotInstanceOf(MissingSearchAttributesException.class);
      assertThat(allowed.err()).doesNotContain("lacks the search attributes");
      Map<String, IndexedValueType> registered = registered(server, namespace);
      for (SearchAttributeKey<?> key : RotationSearchAttributes.ALL) {
        assertThat(registered).containsEntry(key.getName(), key.getValueType());
      }
    }
  }

  private Run worker(String configuration) throws Exception {
    Path file = Files.writeString(folder.resolve("breakglass.yml"), configuration);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Bootstrap<BreakglassConfiguration> bootstrap = new Bootstrap<>(new BreakglassApplication());
    bootstrap.addCommand(new WorkerCommand());
    Optional<Throwable> failure =
        new Cli(new JarLocation(BreakglassApplication.class), bootstrap, out, err)
            .run("worker", file.toString());
    return new Run(
        failure, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private String yaml(String target, String namespace, boolean register) {
    return """
        temporal:
          target: %s
          namespace: %s
          registerSearchAttributes: %s
        metrics:
          host: 127.0.0.1
          port: 0
        databases:
          breakglass:
            driverClass: org.postgresql.Driver
            url: jdbc:postgresql://127.0.0.1:1/breakglass?connectTimeout=1
            user: postgres
        rotation:
          secretStore:
            path: %s
            masterKeyFile: %s
          secrets:
            - name: jwt
              kind: SIGNING_SECRET
              smoke:
                allowNoChecks: true
                reason: "this test never rotates"
          backups:
            directory: %s
          approvals:
            allowUnsigned: true
        """
        .formatted(
            target,
            namespace,
            register,
            folder.resolve("secrets.store"),
            folder.resolve("master.key"),
            folder.resolve("backups"));
  }

  private static void registerNamespace(Path cli, TemporalDevServer server, String namespace)
      throws Exception {
    Process process =
        new ProcessBuilder(
                cli.toString(),
                "operator",
                "namespace",
                "create",
                "--address",
                server.target(),
                "--namespace",
                namespace)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    // The server serves a new namespace once its cache refreshes.
    await("namespace " + namespace + " served")
        .atMost(Duration.ofSeconds(50))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .untilAsserted(() -> registered(server, namespace));
  }

  private static Map<String, IndexedValueType> registered(
      TemporalDevServer server, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(server.target())
                .validateAndBuildWithDefaults());
    try {
      return operator
          .blockingStub()
          .listSearchAttributes(
              ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap();
    } finally {
      operator.shutdownNow();
    }
  }
}
