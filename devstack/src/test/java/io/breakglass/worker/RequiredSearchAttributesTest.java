package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import io.breakglass.worker.embedded.RealTemporal;
import io.breakglass.worker.embedded.TemporalDevServer;
import io.breakglass.workflows.RotationSearchAttributes;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's check of its namespace at start, on the real Temporal server (one server, a fresh
 * namespace per case, so each starts without Breakglass's attributes), and on the Temporal test
 * server, which cannot list attributes.
 */
class RequiredSearchAttributesTest {

  private static final List<String> ALL_NAMES =
      RotationSearchAttributes.ALL.stream().map(SearchAttributeKey::getName).toList();

  @TempDir static Path serverFolder;
  private static Path cli;
  private static TemporalDevServer server;
  private static OperatorServiceStubs operator;

  @BeforeAll
  static void startServer() {
    cli = RealTemporal.cliOrSkip();
    server =
        TemporalDevServer.start(
            TemporalDevServer.Options.of(
                cli, serverFolder.resolve("temporal.db"), serverFolder.resolve("temporal.log")));
    operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(server.target())
                .validateAndBuildWithDefaults());
  }

  @AfterAll
  static void stopServer() {
    if (operator != null) {
      operator.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void
      givenANamespaceWithoutThem_theWorkerRefusesInOneLine_namingTheMissingOnesAndTheCommandThatAddsThem()
          throws Exception {
    String namespace = freshNamespace("bare");
    add(
        namespace,
        RotationSearchAttributes.KIND.getName(),
        IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

    MissingSearchAttributesException refusal =
        refusal(() -> RequiredSearchAttributes.ensure(config(namespace, false)));

    List<String> missing =
        ALL_NAMES.stream().filter(n -> !n.equals(RotationSearchAttributes.KIND.getName())).toList();
    assertThat(refusal.missing()).containsExactlyElementsOf(missing);
    assertThat(refusal.getMessage())
        .doesNotContain("\n")
        .startsWith(
            "namespace "
                + namespace
                + " on "
                + server.target()
                + " lacks the search attributes "
                + String.join(", ", missing)
                + " that rotations set")
        .contains(
            "temporal operator search-attribute create --address "
                + server.target()
                + " --namespace "
                + namespace)
        .contains("--name BreakglassSecrets --type KeywordList")
        .doesNotContain("--name BreakglassKind");
    assertThat(registered(namespace)).containsOnlyKeys(RotationSearchAttributes.KIND.getName());

    // The command the line names is the one that helps: run as printed, the check then passes.
    runPrintedCommand(refusal.getMessage());
    RequiredSearchAttributes.ensure(config(namespace, false));
    assertRegisteredWithTheirTypes(namespace);
  }

  @Test
  void withTheSwitch_theWorkerRegistersTheMissingOnes() throws Exception {
    String namespace = freshNamespace("allowed");
    TemporalConfig allowed =
        new TemporalConfig(
            server.target(), namespace, null, null, false, null, 0, null, null, null, true);

    RequiredSearchAttributes.ensure(allowed);

    assertRegisteredWithTheirTypes(namespace);
    // Nothing left to add: without the switch the same namespace now passes.
    RequiredSearchAttributes.ensure(config(namespace, false));
  }

  @Test
  void givenOneUnderAnotherType_itRefusesEvenWithTheSwitch() throws Exception {
    String namespace = freshNamespace("mistyped");
    add(
        namespace,
        RotationSearchAttributes.PHASE.getName(),
        IndexedValueType.INDEXED_VALUE_TYPE_TEXT);

    assertThatThrownBy(() -> RequiredSearchAttributes.ensure(config(namespace, true)))
        .isInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(MissingSearchAttributesException.class)
        .hasMessageContaining(
            "search attribute BreakglassPhase is registered in namespace " + namespace)
        .hasMessageContaining(
            "as INDEXED_VALUE_TYPE_TEXT; Breakglass needs INDEXED_VALUE_TYPE_KEYWORD");
    assertThat(registered(namespace)).containsOnlyKeys(RotationSearchAttributes.PHASE.getName());
  }

  @Test
  void onTheTestServer_whichCannotListThem_theSwitchRegistersThem_andWithoutItTheWorkerStarts() {
    try (TestWorkflowEnvironment bare = TestWorkflowEnvironment.newInstance()) {
      RequiredSearchAttributes.ensure(
          bare.getOperatorServiceStubs(), "in-process", bare.getNamespace(), false);
      // Negative control: nothing was added without the switch, so registering one still works.
      assertThat(
              bare.registerSearchAttribute(
                  RotationSearchAttributes.KIND.getName(),
                  IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD))
          .isTrue();
    }
    try (TestWorkflowEnvironment bare = TestWorkflowEnvironment.newInstance()) {
      RequiredSearchAttributes.ensure(
          bare.getOperatorServiceStubs(), "in-process", bare.getNamespace(), true);
      for (SearchAttributeKey<?> key : RotationSearchAttributes.ALL) {
        assertThat(bare.registerSearchAttribute(key.getName(), key.getValueType()))
            .as(key.getName())
            .isFalse();
      }
    }
  }

  private static TemporalConfig config(String namespace, boolean register) {
    return new TemporalConfig(
        server.target(), namespace, null, null, false, null, 0, null, null, null, register);
  }

  private static MissingSearchAttributesException refusal(Runnable check) {
    try {
      check.run();
    } catch (MissingSearchAttributesException expected) {
      return expected;
    }
    throw new AssertionError("the check passed on a namespace without the attributes");
  }

  /** A namespace registered now, once the server serves it (its cache refreshes within seconds). */
  private static String freshNamespace(String prefix) throws InterruptedException {
    String namespace = prefix + "-" + System.nanoTime();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
    try {
      stubs
          .blockingStub()
          .registerNamespace(
              RegisterNamespaceRequest.newBuilder()
                  .setNamespace(namespace)
                  .setWorkflowExecutionRetentionPeriod(Durations.fromDays(1))
                  .build());
    } finally {
      stubs.shutdownNow();
    }
    await()
        .dontCatchUncaughtExceptions()
        .alias("namespace " + namespace + " is registered")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .untilAsserted(() -> registered(namespace));
    return namespace;
  }

  private static void add(String namespace, String name, IndexedValueType type) {
    operator
        .blockingStub()
        .addSearchAttributes(
            AddSearchAttributesRequest.newBuilder()
                .setNamespace(namespace)
                .putSearchAttributes(name, type)
                .build());
  }

  private static Map<String, IndexedValueType> registered(String namespace) {
    return operator
        .blockingStub()
        .listSearchAttributes(
            ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
        .getCustomAttributesMap();
  }

  private static void assertRegisteredWithTheirTypes(String namespace) {
    Map<String, IndexedValueType> registered = registered(namespace);
    for (SearchAttributeKey<?> key : RotationSearchAttributes.ALL) {
      assertThat(registered).containsEntry(key.getName(), key.getValueType());
    }
  }

  /** Runs the {@code temporal ...} command of the refusal with the Temporal CLI, word by word. */
  private static void runPrintedCommand(String refusal) throws Exception {
    String command =
        refusal.substring(
            refusal.indexOf("add them with: ") + "add them with: ".length(),
            refusal.indexOf(" (or set"));
    List<String> words = new ArrayList<>(Arrays.asList(command.split(" ")));
    assertThat(words.get(0)).isEqualTo("temporal");
    words.set(0, cli.toString());
    Path log = Files.createTempFile(serverFolder, "create", ".log");
    Process process =
        new ProcessBuilder(words).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();
  }
}
