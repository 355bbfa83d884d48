package io.breakglass.api.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.breakglass.api.BreakglassApplication;
import io.breakglass.api.BreakglassConfiguration;
import io.breakglass.api.BreakglassDevApplication;
import io.breakglass.api.HeadlessChromium;
import io.breakglass.api.cli.approval.ApprovalCommand;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.worker.dev.DevStack;
import io.breakglass.worker.dev.DevTemporal;
import io.breakglass.worker.embedded.TemporalCli;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.queries.ApprovalView;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.queries.Refusal;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowQueryException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Temporal Web UI of {@code dev} (the real server's UI, decoding through the operator API's
 * codec endpoint) in Debian's headless Chromium, used as an operator uses it, with approvals that
 * need proofs: the documented JSON input typed into Start Workflow starts a rotation, the list's
 * query box finds it by search attribute, its Queries tab shows the {@code status} query decoded,
 * and an approval statement from {@code approval sign} pasted into Send a Signal counts, verified,
 * while a forged one is refused and listed. Without the codec server the same page shows the input
 * encrypted. Screenshots go to {@code target/web-ui/}.
 */
class DevWebUiTest {

  /** The switch that makes a missing Temporal CLI or Chromium a failure instead of a skip. */
  private static final String REQUIRED = "BREAKGLASS_REQUIRE_REAL_TEMPORAL";

  private static final DevStack.DemoSize SMALL = new DevStack.DemoSize(40, 4, 1_024);
  private static final Path SCREENSHOTS = Path.of("target", "web-ui");
  private static final String ROTATION = "webui-1";
  private static final String WORKFLOW = RotationWorkflow.workflowId(ROTATION);
  private static final String REASON = "key seen in a support ticket";
  private static final String WAITING_EMERGENCIES =
      "BreakglassKind=\"EMERGENCY\" AND BreakglassState=\"AWAITING_APPROVAL\"";

  /** How the UI shows the codec's {@code encoding} metadata when nothing decodes it: base64. */
  private static final String ENCRYPTED_IN_THE_PAGE =
      Base64.getEncoder().encodeToString("binary/encrypted".getBytes(StandardCharsets.UTF_8));

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path folder;

  private static DevStack stack;
  private static LoopbackApi api;
  private static HeadlessChromium chromium;
  private static URI webUi;

  /**
   * The stack as {@code dev} starts it on the real Temporal server, with an {@code approvals.json}
   * in its data folder that requires proofs and registers alice's and bob's keys made by {@code
   * approval keygen}; mallory has a key too, registered nowhere.
   */
  @BeforeAll
  static void devOnTheRealServer_withProofsRequired() throws Exception {
    requireOrSkip(
        TemporalCli.find().isPresent(),
        "the real Temporal server is not installed here: " + TemporalCli.MISSING);
    requireOrSkip(
        HeadlessChromium.installed(),
        "no Chromium at "
            + HeadlessChromium.CHROMIUM
            + " (bin/install-prerequisites --tests installs it)");
    DevLayout layout = new DevLayout(folder.resolve("data"));
    Files.createDirectories(layout.root());
    Map<String, Map<String, String>> keys =
        Map.of(
            "alice",
            Map.of("alice-1", keygen("alice", "alice-1")),
            "bob",
            Map.of("bob-1", keygen("bob", "bob-1")));
    keygen("mallory", "mallory-1");
    Files.write(
        layout.approvals(), JSON.writeValueAsBytes(Map.of("allowUnsigned", false, "keys", keys)));

    int apiPort = DevCommand.loopbackPort(0);
    URI codec = URI.create("http://127.0.0.1:" + apiPort + "/codec");
    stack =
        DevStack.start(
            layout, new DevTemporal(DevTemporal.Mode.REAL, 0, 0, codec), 0, SMALL, quiet(), false);
    DevUsers users = DevUsers.create();
    users.write(layout.users());
    api =
        LoopbackApi.start(
            bootstrap(),
            DevConfigurationFile.write(stack, users, apiPort, DevCommand.loopbackPort(0)));
    webUi = stack.temporal().webUi().orElseThrow();
    chromium = HeadlessChromium.launch();
    // Each step waits on the real server and the codec server behind the page.
    PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    PlaywrightAssertions.setDefaultAssertionTimeout(5_000);
    if (chromium != null) {
      chromium.close();
    }
    if (api != null) {
      api.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void
      anOperatorStartsARotationInTheWebUi_findsItBySearchAttribute_readsItsDecodedStatus_andASignedApprovalCounts_whileAForgedOneIsRefused()
          throws Exception {
    String startInput =
        JSON.writeValueAsString(
            documentedStartInput(statement("alice", "alice-1", "alice", "--start")));
    String forged =
        signalInput(
            "mallory",
            "bob-1",
            "bob",
            "--gate",
            "PROCEED",
            "--verdict",
            "APPROVE",
            "--comment",
            "trust me");
    String signed =
        signalInput(
            "bob",
            "bob-1",
            "bob",
            "--gate",
            "PROCEED",
            "--verdict",
            "APPROVE",
            "--comment",
            "checked the ticket");
    Page page =
        chromium
            .browser()
            .newContext(new Browser.NewContextOptions().setViewportSize(1440, 1500))
            .newPage();

    // Start Workflow: the JSON input of docs/operator/temporal-ui-and-cli.md, task queue and
    // workflow id.
    page.navigate(webUi + "/namespaces/default/workflows");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start Workflow")).click();
    page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Workflow ID"))
        .fill(WORKFLOW);
    page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Task Queue"))
        .fill(RotationWorkflow.TASK_QUEUE);
    page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Workflow Type"))
        .fill("RotationWorkflow");
    enterJson(page.getByRole(AriaRole.MAIN), startInput);
    expect(page.getByText("Task Queue is Active")).isVisible();
    screenshot(page, "1-start-workflow.png");
    page.getByRole(
            AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start Workflow").setExact(true))
        .click();
    expect(page.getByText("Workflow started successfully")).isVisible();
    RotationStatus atGate = awaitStatus(s -> s.state() == RotationState.AWAITING_APPROVAL);
    awaitListed(WAITING_EMERGENCIES);

    // The list's query box: a filter that cannot match shows nothing, the search attributes find
    // it.
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to Workflows")).click();
    Locator queryBox = page.getByTestId("manual-search-input");
    page.getByTestId("toggle-manual-query").click();
    queryBox.fill("BreakglassKind=\"ROUTINE\"");
    page.getByTestId("manual-search-button").click();
    expect(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("No Results")))
        .isVisible();
    queryBox.fill(WAITING_EMERGENCIES);
    page.getByTestId("manual-search-button").click();
    Locator row =
        page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(WORKFLOW));
    expect(row).hasCount(1);
    expect(row).containsText("RotationWorkflow");
    screenshot(page, "2-list-by-search-attribute.png");
    row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(WORKFLOW)).click();
    expect(
            page.getByRole(
                AriaRole.HEADING, new Page.GetByRoleOptions().setName(WORKFLOW).setLevel(1)))
        .isVisible();
    expect(page.getByTestId("input-and-result")).containsText(REASON);

    // Send a Signal: a statement mallory signed for bob's key id first, then bob's own.
    sendSignal(page, "approve", forged);
    awaitStatus(s -> s.refusals().size() == 1);
    sendSignal(page, "approve", signed);
    RotationStatus approved =
        awaitStatus(s -> s.pendingGate() != null && s.pendingGate().approvals().size() == 1);

    // Queries: the status query's answer, decoded by the codec server, as text in the page.
    page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Queries")).click();
    page.getByTestId("query-select-button").click();
    page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("status").setExact(true))
        .click();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run Query")).click();
    Locator result = page.getByTestId("query-result");
    expect(result).containsText("\"rotationId\": \"" + ROTATION + "\"");
    expect(result).containsText("\"state\": \"AWAITING_APPROVAL\"");
    expect(result).containsText("\"approver\": \"bob\"");
    expect(result).containsText("\"verification\": \"ed25519 bob-1\"");
    expect(result).containsText("signature does not verify with the registered key");
    expect(result).not().containsText(ENCRYPTED_IN_THE_PAGE);
    screenshot(page, "3-status-query.png");

    // What the workflow made of it, through the Temporal client.
    assertThat(atGate.rotationId()).isEqualTo(ROTATION);
    assertThat(atGate.kind()).isEqualTo(RotationKind.EMERGENCY);
    assertThat(atGate.secrets()).containsExactly(DevSettings.ARTIFACT_KEY);
    assertThat(atGate.initiator()).isEqualTo("alice");
    assertThat(atGate.initiatorVerification()).isEqualTo("verified: ed25519 alice-1");
    GateView gate = approved.pendingGate();
    assertThat(gate.gate()).isEqualTo(GateName.PROCEED);
    assertThat(gate.required()).as("the input's requiredApprovals").isEqualTo(2);
    assertThat(Duration.between(gate.openedAt(), gate.deadline()))
        .as("the input's gateTimeout")
        .isEqualTo(Duration.ofHours(4));
    assertThat(gate.approvals())
        .extracting(ApprovalView::approver, ApprovalView::verified, ApprovalView::verification)
        .containsExactly(tuple("bob", true, "ed25519 bob-1"));
    assertThat(approved.refusals()).extracting(Refusal::signal).containsExactly("approve");
    assertThat(approved.refusals().get(0).reason())
        .contains("signature does not verify with the registered key");
    // The UI encoded what was typed through the codec server before it reached Temporal.
    assertThat(encodings())
        .containsExactly(
            "start binary/encrypted", "approve binary/encrypted", "approve binary/encrypted");

    // Negative control: the same page with the codec server unreachable shows the input encrypted.
    BrowserContext withoutCodec = chromium.browser().newContext();
    withoutCodec.route("**/codec/**", Route::abort);
    Page blind = withoutCodec.newPage();
    blind.navigate(webUi + "/namespaces/default/workflows/" + WORKFLOW);
    expect(
            blind
                .getByText("Codec Server could not connect")
                .filter(new Locator.FilterOptions().setVisible(true))
                .first())
        .isVisible();
    expect(blind.getByTestId("input-and-result")).containsText(ENCRYPTED_IN_THE_PAGE);
    expect(blind.getByTestId("input-and-result")).not().containsText(REASON);
    screenshot(blind, "4-without-the-codec-server.png");
    withoutCodec.close();
    page.context().close();
  }

  /**
   * The start input as docs/operator/temporal-ui-and-cli.md documents it for the Temporal UI, two
   * approvals asked.
   */
  private static Map<String, Object> documentedStartInput(String initiatorProof) {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("rotationId", ROTATION);
    input.put("secrets", List.of(DevSettings.ARTIFACT_KEY));
    input.put("kind", "EMERGENCY");
    input.put("initiator", "alice");
    input.put("reason", REASON);
    input.put("requiredApprovals", 2);
    input.put("gateTimeout", "PT4H");
    input.put("initiatorProof", initiatorProof);
    return input;
  }

  /**
   * Opens Send a Signal from More Actions, picks {@code signal}, pastes {@code input} and submits.
   */
  private static void sendSignal(Page page, String signal, String input) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("More Actions")).click();
    page.getByRole(AriaRole.MENUITEM, new Page.GetByRoleOptions().setName("Send a Signal")).click();
    Locator dialog =
        page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Send a Signal"));
    dialog.getByTestId("signal-select-button").click();
    dialog
        .getByRole(AriaRole.OPTION, new Locator.GetByRoleOptions().setName(signal).setExact(true))
        .click();
    enterJson(dialog, input);
    dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Submit")).click();
    expect(dialog).isHidden();
  }

  /**
   * Types {@code json} into the UI's JSON editor in {@code scope} and leaves the editor. The UI
   * reformats the JSON when the editor loses focus, which grows the editor and moves the button
   * below it: a click that is also the blur lands where the button was. Leaving first and waiting
   * for the reformatted lines keeps the next click on its button.
   */
  private static void enterJson(Locator scope, String json) {
    Locator editor = scope.locator("[role=textbox][contenteditable=true]");
    editor.fill(json);
    editor.blur();
    expect(editor.locator(".cm-line").nth(1)).isAttached();
  }

  /** The encoding of the start input and of each signal's input, as Temporal stores them. */
  private static List<String> encodings() {
    return stack.client().fetchHistory(WORKFLOW).getEvents().stream()
        .flatMap(DevWebUiTest::encodingOf)
        .toList();
  }

  private static Stream<String> encodingOf(HistoryEvent event) {
    if (event.hasWorkflowExecutionStartedEventAttributes()) {
      return event
          .getWorkflowExecutionStartedEventAttributes()
          .getInput()
          .getPayloadsList()
          .stream()
          .map(p -> "start " + encoding(p));
    }
    if (event.hasWorkflowExecutionSignaledEventAttributes()) {
      var signaled = event.getWorkflowExecutionSignaledEventAttributes();
      return signaled.getInput().getPayloadsList().stream()
          .map(p -> signaled.getSignalName() + " " + encoding(p));
    }
    return Stream.empty();
  }

  private static String encoding(Payload payload) {
    return payload.getMetadataOrThrow("encoding").toStringUtf8();
  }

  private static RotationStatus awaitStatus(Predicate<RotationStatus> done) {
    RotationWorkflow rotation = stack.client().newWorkflowStub(RotationWorkflow.class, WORKFLOW);
    return await("the rotation gets there")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptionsInstanceOf(WorkflowNotFoundException.class)
        .ignoreExceptionsInstanceOf(WorkflowQueryException.class)
        .until(rotation::status, done);
  }

  /**
   * Waits until the server's visibility lists the rotation under {@code query}, as the UI's list
   * asks it.
   */
  private static void awaitListed(String query) {
    WorkflowClient client = stack.client();
    await(WORKFLOW + " listed under " + query)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                client
                    .listExecutions(query)
                    .anyMatch(e -> e.getExecution().getWorkflowId().equals(WORKFLOW)));
  }

  /** The first line {@code approval sign} prints: the statement itself. */
  private static String statement(String keyOf, String keyId, String as, String... action) {
    return sign(keyOf, keyId, as, action).lines().findFirst().orElseThrow();
  }

  /** The line {@code approval sign} prints to paste into Send a Signal. */
  private static String signalInput(String keyOf, String keyId, String as, String... action) {
    return sign(keyOf, keyId, as, action)
        .lines()
        .filter(l -> l.startsWith("{"))
        .findFirst()
        .orElseThrow();
  }

  private static String sign(String keyOf, String keyId, String as, String... action) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "approval",
                "sign",
                "--key-file",
                folder.resolve(keyOf + ".pem").toString(),
                "--key-id",
                keyId,
                "--as",
                as,
                "--rotation",
                ROTATION));
    args.addAll(List.of(action));
    return approval(args.toArray(String[]::new));
  }

  /** {@code approval keygen} for {@code person}; its first line, the public key to register. */
  private static String keygen(String person, String keyId) {
    return approval(
            "approval",
            "keygen",
            "--out",
            folder.resolve(person + ".pem").toString(),
            "--as",
            person,
            "--key-id",
            keyId)
        .lines()
        .findFirst()
        .orElseThrow();
  }

  private static String approval(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Bootstrap<BreakglassConfiguration> bootstrap = new Bootstrap<>(new BreakglassApplication());
    bootstrap.addCommand(
        new ApprovalCommand(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC()));
    Optional<Throwable> failure =
        new Cli(new JarLocation(BreakglassApplication.class), bootstrap, out, err).run(args);
    assertThat(failure).as(err.toString(StandardCharsets.UTF_8)).isEmpty();
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The application's bootstrap as {@code java -jar breakglass-dev.jar} makes it. */
  private static Bootstrap<BreakglassConfiguration> bootstrap() {
    BreakglassApplication application = new BreakglassDevApplication();
    Bootstrap<BreakglassConfiguration> bootstrap = new Bootstrap<>(application);
    application.initialize(bootstrap);
    bootstrap.registerMetrics();
    return bootstrap;
  }

  private static void requireOrSkip(boolean present, String missing) {
    if (!present && System.getenv(REQUIRED) != null) {
      fail(REQUIRED + " is set but " + missing);
    }
    assumeTrue(present, missing);
  }

  private static void screenshot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)).setFullPage(true));
  }

  private static PrintStream quiet() {
    return new PrintStream(PrintStream.nullOutputStream());
  }

  private static LocatorAssertions expect(Locator locator) {
    return PlaywrightAssertions.assertThat(locator);
  }
}
