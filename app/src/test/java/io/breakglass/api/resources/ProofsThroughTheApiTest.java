package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import io.breakglass.api.BreakglassConfiguration;
import io.breakglass.api.ForwardedCommands;
import io.breakglass.api.TestIdentityProvider;
import io.breakglass.api.TestProofs;
import io.breakglass.api.auth.Role;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.commands.GateDecision;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proofs through the API on the embedded stack: a start and approvals carry the caller's proof to
 * the workflow (read back from its history), a malformed proof is 422 naming the field, a statement
 * for someone else is 403 and one for another rotation, gate or verdict 422, each beside the
 * matching proof that passes; an OIDC caller's access token is never forwarded as a proof. One
 * rotation waits at its PROCEED gate (six approvals needed) for every test.
 */
class ProofsThroughTheApiTest extends ApiTest {

  private static final String ID = "p-proof";
  private static final ProofBinding APPROVE =
      ProofBinding.gate(ID, GateName.PROCEED, Verdict.APPROVE);
  private static final String DECIDE = "/api/rotations/" + ID + "/gates/PROCEED/";

  private static String startStatement;

  @BeforeAll
  static void aRotationStartedWithAStatement_waitsAtItsGate() throws Exception {
    startStatement = TestProofs.statement("olivia", ProofBinding.start(ID));
    HttpResponse<String> started =
        testbed.post("olivia", "/api/rotations", startBody(ID, startStatement));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    testbed.awaitGate(ID, "PROCEED");
  }

  @Test
  void
      theInitiatorsStatement_reachesTheWorkflow_andARepeatedStartWithAFreshOne_isTheSameRotation() {
    RotationRequest forwarded = ForwardedCommands.start(testbed, ID);
    String fresh = TestProofs.statement("olivia", ProofBinding.start(ID), Duration.ofMinutes(9));
    HttpResponse<String> again = testbed.post("olivia", "/api/rotations", startBody(ID, fresh));

    assertThat(forwarded.initiator()).isEqualTo("olivia");
    assertThat(forwarded.initiatorProof()).isEqualTo(startStatement);
    assertThat(fresh).isNotEqualTo(startStatement);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(ApiTestbed.json(again).path("created").asBoolean()).isFalse();
  }

  @Test
  void aStartWithAnotherRotationsStatement_orAMalformedOne_is422_andStartsNothing() {
    HttpResponse<String> borrowed =
        testbed.post("olivia", "/api/rotations", startBody("p-borrowed", startStatement));
    HttpResponse<String> malformed =
        testbed.post("olivia", "/api/rotations", startBody("p-malformed", "not a jws"));

    assertError(borrowed, 422, "initiatorProof is a statement for rotation p-proof, action START");
    assertError(malformed, 422, "initiatorProof must be a compact JWS");
    assertThat(testbed.get("ada", "/api/rotations/p-borrowed").statusCode()).isEqualTo(404);
    assertThat(testbed.get("ada", "/api/rotations/p-malformed").statusCode()).isEqualTo(404);
  }

  @Test
  void
      aMatchingStatement_travelsWithTheApproval_andNegativeControl_anApprovalWithoutOneCarriesNone() {
    String bobs = TestProofs.statement("bob", APPROVE);
    HttpResponse<String> bob =
        testbed.post("bob", DECIDE + "approve", decision("checked the ticket", bobs));
    HttpResponse<String> carol =
        testbed.post("carol", DECIDE + "approve", "{\"comment\":\"agreed\"}");

    assertThat(bob.statusCode()).as(bob.body()).isEqualTo(200);
    assertThat(ForwardedCommands.lastBy(testbed, ID, "bob").proof()).isEqualTo(bobs);
    assertThat(carol.statusCode()).as(carol.body()).isEqualTo(200);
    assertThat(ForwardedCommands.lastBy(testbed, ID, "carol").proof()).isNull();
    JsonNode approvals = testbed.status(ID).path("pendingGate").path("approvals");
    assertThat(approvals.findValuesAsText("verification"))
        .contains("ed25519 " + TestProofs.keyId("bob"), "unverified (allowUnsigned)");
  }

  @Test
  void aMalformedProof_is422NamingTheField_andReachesNoWorkflow() {
    String tooLong = "a.b." + "c".repeat(17_000);
    List<HttpResponse<String>> refused =
        List.of(
            testbed.post("ada", DECIDE + "approve", decision("x", "not a jws")),
            testbed.post("ada", DECIDE + "approve", decision("x", "a.b.c.d")),
            testbed.post("ada", DECIDE + "reject", decision("x", "eyJ.e30.=")),
            testbed.post("ada", DECIDE + "approve", decision("x", tooLong)),
            testbed.post(
                "ada", "/api/rotations/" + ID + "/unrevoke/approve", decision("x", "not a jws")));

    assertError(refused.get(0), 422, "proof must be a compact JWS");
    assertError(refused.get(1), 422, "proof must be a compact JWS");
    assertError(refused.get(2), 422, "proof must be a compact JWS");
    assertError(refused.get(3), 422, "proof size must be between 0 and 16384");
    assertError(refused.get(4), 422, "proof must be a compact JWS");
    assertThat(ForwardedCommands.decisions(testbed, ID))
        .noneMatch(d -> "ada".equals(d.actor()) && "x".equals(d.comment()));
    assertThat(testbed.status(ID).path("pendingGate").path("gate").asText()).isEqualTo("PROCEED");
  }

  @Test
  void
      aStatementForSomeoneElse_is403_oneForAnotherRotationGateOrVerdict_is422_andNegativeControl_theMatchingOnePasses() {
    HttpResponse<String> bobs =
        testbed.post(
            "ada", DECIDE + "approve", decision("x", TestProofs.statement("bob", APPROVE)));
    HttpResponse<String> otherRotation =
        testbed.post(
            "ada",
            DECIDE + "approve",
            decision(
                "x",
                TestProofs.statement(
                    "ada", ProofBinding.gate("p-other", GateName.PROCEED, Verdict.APPROVE))));
    HttpResponse<String> otherGate =
        testbed.post(
            "ada",
            DECIDE + "approve",
            decision(
                "x",
                TestProofs.statement(
                    "ada", ProofBinding.gate(ID, GateName.REVOKE, Verdict.APPROVE))));
    HttpResponse<String> approvalAsRejection =
        testbed.post("ada", DECIDE + "reject", decision("x", TestProofs.statement("ada", APPROVE)));
    HttpResponse<String> unrevokeForBob =
        testbed.post(
            "ada",
            "/api/rotations/" + ID + "/unrevoke/approve",
            decision("x", TestProofs.statement("bob", APPROVE)));
    String adas = TestProofs.statement(" ADA", APPROVE);
    HttpResponse<String> matching =
        testbed.post("ada", DECIDE + "approve", decision("mine, in capitals", adas));

    assertError(bobs, 403, "proof is a statement by bob, but the caller is ada");
    assertError(
        otherRotation,
        422,
        "proof is a statement for rotation p-other, action PROCEED:APPROVE; this request is rotation p-proof");
    assertError(
        otherGate,
        422,
        "action REVOKE:APPROVE; this request is rotation p-proof, action PROCEED:APPROVE");
    assertError(
        approvalAsRejection,
        422,
        "action PROCEED:APPROVE; this request is rotation p-proof, action PROCEED:REJECT");
    assertError(unrevokeForBob, 403, "proof is a statement by bob, but the caller is ada");
    assertThat(testbed.status(ID).path("pendingGate").path("state").asText()).isEqualTo("OPEN");
    assertThat(matching.statusCode()).as(matching.body()).isEqualTo(200);
    GateDecision forwarded = ForwardedCommands.lastBy(testbed, ID, "ada");
    assertThat(forwarded.proof()).isEqualTo(adas);
    assertThat(forwarded.comment()).isEqualTo("mine, in capitals");
  }

  @Test
  void anOidcCallersAccessToken_isNeverTheProof_butAnIdTokenWithTheActionsNonce_is()
      throws Exception {
    TestIdentityProvider idp = TestIdentityProvider.shared();
    DropwizardTestSupport<BreakglassConfiguration> api =
        testbed.anotherApi(
            "oidc",
            Map.of(),
            Map.of(
                "api",
                Map.of(
                    "auth", Map.of("tokens", ApiTestbed.staticTokens(), "oidc", idp.apiConfig()))));
    try {
      String davesAccess = idp.accessToken("dave", Role.APPROVER);
      String erinsAccess = idp.accessToken("erin", Role.APPROVER);
      String davesIdToken = idp.idToken("dave", Role.APPROVER, APPROVE.nonce());

      HttpResponse<String> accessAsProof =
          post(api, davesAccess, DECIDE + "approve", decision("x", davesAccess));
      HttpResponse<String> withIdToken =
          post(api, davesAccess, DECIDE + "approve", decision("signed in", davesIdToken));
      HttpResponse<String> noProof =
          post(api, erinsAccess, DECIDE + "approve", "{\"comment\":\"no proof\"}");

      assertError(accessAsProof, 422, "an access token is not a proof");
      assertThat(withIdToken.statusCode()).as(withIdToken.body()).isEqualTo(200);
      assertThat(ForwardedCommands.lastBy(testbed, ID, "dave").proof()).isEqualTo(davesIdToken);
      assertThat(noProof.statusCode()).as(noProof.body()).isEqualTo(200);
      GateDecision erins = ForwardedCommands.lastBy(testbed, ID, "erin");
      assertThat(erins.proof()).isNull();
      assertThat(ForwardedCommands.decisions(testbed, ID))
          .noneMatch(d -> erinsAccess.equals(d.proof()) || davesAccess.equals(d.proof()));
    } finally {
      testbed.closeAnother(api);
    }
  }

  private static String startBody(String id, String proof) {
    return "{\"rotationId\":\""
        + id
        + "\",\"secrets\":[\"jwt\"],\"kind\":\"EMERGENCY\",\"reason\":\"proof test\","
        + "\"requiredApprovals\":6,\"initiatorProof\":\""
        + proof
        + "\"}";
  }

  private static String decision(String comment, String proof) {
    return "{\"comment\":\"" + comment + "\",\"proof\":\"" + proof + "\"}";
  }

  private static HttpResponse<String> post(
      DropwizardTestSupport<BreakglassConfiguration> api, String bearer, String path, String json)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.getLocalPort() + path))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = ApiTestbed.json(response);
    assertThat(body.path("code").asInt()).isEqualTo(status);
    assertThat(body.path("message").asText()).contains(message);
  }
}
