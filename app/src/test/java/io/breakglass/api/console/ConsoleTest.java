package io.breakglass.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.breakglass.api.ApiTestbed;
import io.breakglass.api.ForwardedCommands;
import io.breakglass.api.HeadlessChromium;
import io.breakglass.api.ManualRestarts;
import io.breakglass.api.TestProofs;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in Debian's headless Chromium (Playwright, no browser download) against the API on
 * the embedded stack: an approver sees the timeline and the open gate and approves; a second
 * approval by the same person comes back refused with the API's message; the initiator's and a
 * viewer's Approve buttons are disabled with the reason; progress bars after re-encryption; a
 * screenshot; and the security headers. An approver signs a statement in the page with their key
 * file (WebCrypto Ed25519) and it reaches the workflow; without a key no proof is sent.
 */
class ConsoleTest {

  private static final Path SCREENSHOT = Path.of("target", "console-rotation.png");
  private static final String ID = "k-console";

  private static ApiTestbed testbed;
  private static HeadlessChromium chromium;
  private static Browser browser;

  @RegisterExtension
  static final BeforeAllCallback SHARED = context -> testbed = ApiTestbed.shared(context);

  @BeforeAll
  static void chromium() {
    assertThat(HeadlessChromium.CHROMIUM)
        .as("Chromium from Debian (bin/install-prerequisites installs it)")
        .isExecutable();
    chromium = HeadlessChromium.launch();
    browser = chromium.browser();
  }

  @AfterAll
  static void closeBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void
      anApproverApprovesInTheConsole_aSecondApprovalIsRefusedWithTheApisMessage_andTheTwoPersonRuleDisablesTheInitiator()
          throws Exception {
    assertThat(
            testbed
                .post(
                    "ada",
                    "/api/rotations",
                    "{\"rotationId\":\""
                        + ID
                        + "\",\"secrets\":[\"artifact-encryption-key\"],\"kind\":\"EMERGENCY\","
                        + "\"reason\":\"console test\",\"requiredApprovals\":2}")
                .statusCode())
        .isEqualTo(201);
    testbed.awaitGate(ID, "PROCEED");
    List<String> consoleErrors = new ArrayList<>();

    // bob signs in, finds the rotation in the list, and sees its timeline and open gate.
    Page bob = signIn("bob", consoleErrors);
    bob.locator("#rotations a", new Page.LocatorOptions().setHasText(ID)).click();
    expect(bob.locator("#rotation-title")).hasText("Rotation " + ID);
    expect(bob.locator("#phases")).containsText("3 BACKUP: SUCCEEDED");
    expect(bob.locator("#phases")).containsText("4 GATE_PROCEED: RUNNING");
    expect(bob.locator("#timeline")).containsText("waiting for 2 approval(s)");
    expect(bob.locator("#gate-title")).containsText("Gate PROCEED: 0/2 approvals");
    expect(bob.locator("#approve"))
        .isEnabled(); // the control: the button the checks below find disabled
    bob.locator("#comment").fill("verified the ticket");
    bob.locator("#approve").click();
    expect(bob.locator("#decision-message")).containsText("Approved: gate PROCEED is OPEN (1/2)");
    expect(bob.locator("#gate-approvals")).containsText("approved by bob");
    expect(bob.locator("#approve")).isDisabled();
    expect(bob.locator("#approve-reason")).containsText("you already approved this gate");

    // The initiator's page tells the two-person rule before anyone clicks.
    Page ada = signIn("ada", consoleErrors);
    ada.navigate(testbed.uri("/console/#/rotations/" + ID).toString());
    expect(ada.locator("#approve")).isDisabled();
    expect(ada.locator("#approve-reason")).containsText("two-person rule");
    expect(ada.locator("#reject")).isEnabled();

    // carol's page goes stale (no refresh) while she approves from elsewhere: the API refuses the
    // second click.
    Page carol = signIn("carol", consoleErrors);
    carol.navigate(testbed.uri("/console/#/rotations/" + ID).toString());
    carol.locator("#auto-refresh").uncheck();
    expect(carol.locator("#approve")).isEnabled();
    assertThat(
            testbed
                .post(
                    "carol",
                    "/api/rotations/" + ID + "/gates/PROCEED/approve",
                    "{\"comment\":\"from the CLI\"}")
                .statusCode())
        .isEqualTo(200);
    carol.locator("#comment").fill("again");
    carol.locator("#approve").click();
    expect(carol.locator("#decision-message")).containsText("Refused (409)");
    expect(carol.locator("#decision-message")).containsText("PROCEED");

    // Negative control: a viewer cannot decide, and the page says why.
    Page vera = signIn("vera", consoleErrors);
    vera.navigate(testbed.uri("/console/#/rotations/" + ID).toString());
    ManualRestarts.confirmUntil(
        testbed, ID, s -> "REVOKE".equals(s.path("pendingGate").path("gate").asText()));
    vera.locator("#refresh").click();
    expect(vera.locator("#gate-title")).containsText("Gate REVOKE: 0/2 approvals");
    expect(vera.locator("#approve")).isDisabled();
    expect(vera.locator("#reject")).isDisabled();
    expect(vera.locator("#approve-reason")).containsText("do not allow gate decisions");

    // Re-encryption has run: one bar per data set, done/total, rate.
    Locator artifacts = vera.locator(".bar[data-data-set='chart-artifacts']");
    expect(artifacts.locator(".numbers")).containsText("4/4 (100%)");
    assertThat(artifacts.locator("progress").getAttribute("max")).isEqualTo("4");
    expect(vera.locator("#phases")).containsText("8 REENCRYPT: SUCCEEDED");
    expect(vera.locator("#compensations")).containsText("REGISTERED");
    vera.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));

    assertThat(SCREENSHOT).exists();
    assertThat(Files.size(SCREENSHOT)).isGreaterThan(1_000);
    assertThat(consoleErrors).as("console errors (a CSP violation shows here)").isEmpty();
    assertThat(List.of(bob.url(), ada.url(), carol.url(), vera.url()))
        .noneMatch(url -> url.contains("token-"));

    assertThat(
            testbed
                .post("olivia", "/api/rotations/" + ID + "/cancel", "{\"comment\":\"test over\"}")
                .statusCode())
        .isEqualTo(202);
    ManualRestarts.confirmUntil(testbed, ID, s -> s.path("state").asText().equals("ROLLED_BACK"));
  }

  @Test
  void
      anApproverSignsWithTheirKeyFileInThePage_theStatementReachesTheWorkflow_andNegativeControl_noKeyNoProof(
          @TempDir Path keys) throws Exception {
    String id = "k-proof";
    assertThat(
            testbed
                .post(
                    "ada",
                    "/api/rotations",
                    "{\"rotationId\":\""
                        + id
                        + "\",\"secrets\":[\"openai\"],\"kind\":\"EMERGENCY\","
                        + "\"reason\":\"console proof test\",\"requiredApprovals\":3}")
                .statusCode())
        .isEqualTo(201);
    testbed.awaitGate(id, "PROCEED");
    KeyPair bobs = TestProofs.keyOf("bob");
    Path keyFile = Files.writeString(keys.resolve("bob.pem"), TestProofs.pem(bobs.getPrivate()));
    Path notAKey = Files.writeString(keys.resolve("notes.pem"), "not a key\n");
    List<String> consoleErrors = new ArrayList<>();

    // bob chooses his key file: the page signs a statement for PROCEED:APPROVE of this rotation.
    Page bob = signIn("bob", consoleErrors);
    bob.navigate(testbed.uri("/console/#/rotations/" + id).toString());
    bob.locator("#auto-refresh").uncheck();
    expect(bob.locator("#gate-title")).containsText("Gate PROCEED: 0/3 approvals");
    bob.locator("#comment").fill("signed in the browser");
    bob.locator("#key-file").setInputFiles(keyFile);
    bob.locator("#key-id").fill("bob-1");
    bob.locator("#approve").click();
    expect(bob.locator("#decision-message"))
        .containsText("Approved: gate PROCEED is OPEN (1/3), with a proof");
    assertThat((Boolean) bob.locator("#key-file").evaluate("input => input.files.length === 0"))
        .as("key file cleared")
        .isTrue();

    String proof = ForwardedCommands.lastBy(testbed, id, "bob").proof();
    assertThat(TestProofs.verifies(proof, bobs.getPublic())).isTrue();
    JsonNode claims = TestProofs.claims(proof);
    assertThat(claims.path("iss").asText()).isEqualTo("breakglass-approval");
    assertThat(claims.path("sub").asText()).isEqualTo("bob");
    assertThat(claims.path("rot").asText()).isEqualTo(id);
    assertThat(claims.path("act").asText()).isEqualTo("PROCEED:APPROVE");
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(600);
    assertThat(TestProofs.header(proof).path("kid").asText()).isEqualTo("bob-1");
    assertThat(TestProofs.header(proof).path("alg").asText()).isEqualTo("EdDSA");

    // carol: a file that is no key stops in the page; a pasted statement for another gate comes
    // back refused by the API; then, with neither, her approval goes out unsigned.
    Page carol = signIn("carol", consoleErrors);
    carol.navigate(testbed.uri("/console/#/rotations/" + id).toString());
    carol.locator("#auto-refresh").uncheck();
    carol.locator("#comment").fill("agreed");
    carol.locator("#key-file").setInputFiles(notAKey);
    carol.locator("#key-id").fill("carol-1");
    carol.locator("#approve").click();
    expect(carol.locator("#decision-message"))
        .containsText("No proof: the key file holds no PKCS#8 PEM private key");
    carol.locator("#key-file").setInputFiles(new Path[0]);
    carol
        .locator("#proof")
        .fill(
            TestProofs.statement(
                TestProofs.ed25519(),
                "carol",
                ProofBinding.gate(id, GateName.REVOKE, Verdict.APPROVE)));
    carol.locator("#approve").click();
    expect(carol.locator("#decision-message")).containsText("Refused (422)");
    expect(carol.locator("#decision-message")).containsText("action REVOKE:APPROVE");
    carol.locator("#proof").fill("");
    carol.locator("#approve").click();
    expect(carol.locator("#decision-message")).hasText("Approved: gate PROCEED is OPEN (2/3)");
    assertThat(ForwardedCommands.lastBy(testbed, id, "carol").proof()).isNull();
    assertThat(ForwardedCommands.decisions(testbed, id)).hasSize(2);

    // How the workflow verified each approval shows beside it once its status tells.
    Page vera = signIn("vera", consoleErrors);
    vera.route(
        "**/api/rotations/" + id,
        route -> {
          try {
            APIResponse answer = route.fetch();
            route.fulfill(
                new Route.FulfillOptions().setResponse(answer).setBody(withVerification(answer)));
          } catch (PlaywrightException closing) {
            // a refresh in flight while the page closes: nobody reads its answer
          }
        });
    vera.navigate(testbed.uri("/console/#/rotations/" + id).toString());
    expect(vera.locator("#gate-approvals")).containsText("approved by bob");
    expect(vera.locator("#gate-approvals .verified"))
        .hasText("(verified: Ed25519 statement, key bob-1)");
    expect(vera.locator("#gate-approvals .unverified")).hasText("(not verified: unsigned)");
    expect(vera.locator("#approvals")).containsText("Gate PROCEED OPEN (2/3)");
    // No refresh may reach the rewriting route once the browser closes.
    vera.locator("#auto-refresh").uncheck();
    vera.context().close();

    assertThat(consoleErrors).as("console errors (a CSP violation shows here)").isEmpty();
    assertThat(
            testbed
                .post("olivia", "/api/rotations/" + id + "/cancel", "{\"comment\":\"test over\"}")
                .statusCode())
        .isEqualTo(202);
    ManualRestarts.confirmUntil(testbed, id, s -> s.path("state").asText().equals("ROLLED_BACK"));
  }

  /** The API's answer with the verification fields the workflow's status adds to each approval. */
  private static String withVerification(APIResponse response) {
    try {
      JsonNode detail = new ObjectMapper().readTree(response.body());
      List<JsonNode> gates = new ArrayList<>();
      gates.add(detail.path("status").path("pendingGate"));
      detail.path("status").path("gates").forEach(gates::add);
      for (JsonNode gate : gates) {
        for (JsonNode approval : gate.path("approvals")) {
          boolean bob = approval.path("approver").asText().equals("bob");
          ((ObjectNode) approval)
              .put("verified", bob)
              .put("verification", bob ? "Ed25519 statement, key bob-1" : "unsigned");
        }
      }
      return detail.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aBadToken_isRefusedWithTheApisMessage_andTheSignInFormStays() {
    Page page = browser.newContext().newPage();
    page.navigate(testbed.uri("/console/").toString());
    page.locator("#token").fill("not-a-token");
    page.locator("#sign-in-form button").click();

    expect(page.locator("#error")).containsText("did not accept the token");
    expect(page.locator("#sign-in")).isVisible();
    expect(page.locator("#list")).isHidden();
  }

  @Test
  void theConsole_isServedWithItsSecurityHeaders_andNoInlineScript() {
    HttpResponse<String> page = testbed.get(null, "/console/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValue(ConsoleHeaders.CONTENT_SECURITY_POLICY);
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.body())
        .contains("<script src=\"console.js\" defer></script>")
        .contains("<script src=\"statement.js\" defer></script>")
        .doesNotContainPattern("<script>");
    assertThat(ConsoleHeaders.CONTENT_SECURITY_POLICY)
        .doesNotContain("unsafe-inline")
        .contains("frame-ancestors 'none'");
    // The API keeps its own answers: the console's headers are for the console only.
    assertThat(testbed.get(null, "/api/rotations").headers().firstValue("Content-Security-Policy"))
        .isEmpty();
  }

  /** A fresh browser context (its own sessionStorage) signed in as {@code user}, on the list. */
  private static Page signIn(String user, List<String> errors) {
    BrowserContext context = browser.newContext();
    Page page = context.newPage();
    page.onConsoleMessage(
        message -> {
          if (message.type().equals("error")
              && !message.text().contains("the server responded with a status of")) {
            errors.add(user + ": " + message.text());
          }
        });
    page.navigate(testbed.uri("/console/").toString());
    page.locator("#token").fill(ApiTestbed.token(user));
    page.locator("#sign-in-form button").click();
    expect(page.locator("#who")).containsText(user);
    expect(page.locator("#list")).isVisible();
    return page;
  }

  private static LocatorAssertions expect(Locator locator) {
    return PlaywrightAssertions.assertThat(locator);
  }
}
