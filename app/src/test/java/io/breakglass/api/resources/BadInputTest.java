package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a 4xx with a message in the one error shape, and changes nothing: malformed JSON,
 * unknown fields, oversized bodies, invalid ids, another rotation's gate, the two-person rule, a
 * rotation id reused with another request.
 */
class BadInputTest extends ApiTest {

  /**
   * One rotation per secret: b-gate rotates the payload key, and each test that starts one a secret
   * of its own.
   */
  @BeforeAll
  static void aRotationAtItsGate_andOneStillBusy() throws Exception {
    assertThat(testbed.start("olivia", "b-gate", "ai-payload-encryption-key").statusCode())
        .isEqualTo(201);
    testbed.awaitGate("b-gate", "PROCEED");
  }

  @Test
  void malformedJson_is400_withAMessage_andStartsNothing() {
    HttpResponse<String> response =
        testbed.post("olivia", "/api/rotations", "{\"rotationId\": \"b-malformed\", ");

    assertError(response, 400, "malformed JSON");
    assertThat(testbed.get("ada", "/api/rotations/b-malformed").statusCode()).isEqualTo(404);
  }

  @Test
  void anUnknownField_suchAsAnInitiator_is400_andStartsNothing() {
    HttpResponse<String> response =
        testbed.post(
            "olivia",
            "/api/rotations",
            "{\"rotationId\":\"b-unknown\",\"secrets\":[\"jwt\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\",\"initiator\":\"bob\"}");

    assertError(response, 400, "unknown field 'initiator'");
    assertThat(testbed.get("ada", "/api/rotations/b-unknown").statusCode()).isEqualTo(404);
  }

  @Test
  void missingFields_are422_namingEachField() {
    HttpResponse<String> response =
        testbed.post("olivia", "/api/rotations", "{\"rotationId\":\"b-missing\"}");

    assertError(response, 422, "secrets");
    assertThat(ApiTestbed.json(response).path("message").asText())
        .contains("kind")
        .contains("reason");
  }

  @Test
  void anOversizedBody_is413_whetherItsLengthIsDeclaredOrNot() {
    String big = "{\"comment\":\"" + "x".repeat(70_000) + "\"}";
    HttpResponse<String> declared =
        testbed.post("bob", "/api/rotations/b-gate/gates/PROCEED/approve", big);
    HttpResponse<String> chunked =
        testbed.send(
            "bob",
            HttpRequest.newBuilder(testbed.uri("/api/rotations/b-gate/gates/PROCEED/approve"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));

    assertError(declared, 413, "larger than 65536 bytes");
    assertError(chunked, 413, "larger than 65536 bytes");
    assertThat(testbed.status("b-gate").path("pendingGate").path("approvals")).isEmpty();
  }

  @Test
  void invalidIds_are400_andUnknownOnes404() {
    assertError(testbed.get("vera", "/api/rotations/NOT_AN_ID"), 400, "lower-case");
    assertError(
        testbed.get("vera", "/api/rotations/no-such-rotation"),
        404,
        "no rotation no-such-rotation");
    assertError(
        testbed.post(
            "bob", "/api/rotations/no-such-rotation/gates/PROCEED/approve", "{\"comment\":\"x\"}"),
        404,
        "no rotation");
    assertError(
        testbed.post("bob", "/api/rotations/b-gate/gates/SIDEWAYS/approve", "{\"comment\":\"x\"}"),
        404,
        "no gate SIDEWAYS");
    assertError(
        testbed.post(
            "olivia",
            "/api/rotations",
            "{\"rotationId\":\"Bad Id\",\"secrets\":[\"jwt\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\"}"),
        422,
        "rotationId");
    assertError(
        testbed.post(
            "olivia",
            "/api/rotations",
            "{\"rotationId\":\"b-nosecret\",\"secrets\":[\"nope\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\"}"),
        422,
        "secret nope is not configured");
  }

  @Test
  void aGateThatIsNotOpen_is409_andChangesNothing() {
    String before = testbed.status("b-gate").toString();

    assertError(
        testbed.post(
            "bob", "/api/rotations/b-gate/gates/REVOKE/approve", "{\"comment\":\"wrong gate\"}"),
        409,
        "gate REVOKE of rotation b-gate is not open");
    assertThat(testbed.status("b-gate").toString()).isEqualTo(before);
  }

  @Test
  void theInitiatorApproving_is403_withTheTwoPersonRule_andChangesNothing() {
    // ada is an admin (may approve) and starts this one herself.
    assertThat(testbed.start("ada", "b-own", "jwt").statusCode()).isEqualTo(201);
    JsonNode before = awaitGate("b-own");

    assertError(
        testbed.post("ada", "/api/rotations/b-own/gates/PROCEED/approve", "{\"comment\":\"mine\"}"),
        403,
        "two-person rule");
    assertThat(testbed.status("b-own").path("pendingGate")).isEqualTo(before.path("pendingGate"));
    assertThat(testbed.cancel("ada", "b-own", "done").statusCode()).isEqualTo(202);
  }

  @Test
  void theSameApproverTwice_is409_andTheSecondApprovalMustComeFromSomeoneElse() {
    assertThat(
            testbed
                .post(
                    "olivia",
                    "/api/rotations",
                    "{\"rotationId\":\"b-two\",\"secrets\":[\"artifact-encryption-key\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\",\"requiredApprovals\":2}")
                .statusCode())
        .isEqualTo(201);
    awaitGate("b-two");

    HttpResponse<String> first =
        testbed.post("bob", "/api/rotations/b-two/gates/PROCEED/approve", "{\"comment\":\"ok\"}");
    HttpResponse<String> again =
        testbed.post(
            "bob", "/api/rotations/b-two/gates/PROCEED/approve", "{\"comment\":\"ok again\"}");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(ApiTestbed.json(first).path("approvals").get(0).path("approver").asText())
        .isEqualTo("bob");
    assertError(again, 409, "already approved");
    assertThat(testbed.status("b-two").path("pendingGate").path("approvals")).hasSize(1);
    assertThat(testbed.cancel("olivia", "b-two", "done").statusCode()).isEqualTo(202);
  }

  @Test
  void startingAgain_withTheSameRequest_is200_withAnotherRequest409() {
    String body =
        "{\"rotationId\":\"b-again\",\"secrets\":[\"openai\"],\"kind\":\"EMERGENCY\",\"reason\":\"same\"}";
    HttpResponse<String> first = testbed.post("olivia", "/api/rotations", body);
    HttpResponse<String> repeat = testbed.post("olivia", "/api/rotations", body);
    HttpResponse<String> other =
        testbed.post("olivia", "/api/rotations", body.replace("same", "different"));
    HttpResponse<String> otherCaller = testbed.post("ada", "/api/rotations", body);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/api/rotations/b-again"));
    assertThat(repeat.statusCode()).isEqualTo(200);
    assertThat(ApiTestbed.json(repeat).path("created").asBoolean()).isFalse();
    assertError(other, 409, "with another request");
    assertError(otherCaller, 409, "started by olivia");
    awaitGate(
        "b-again"); // a cancel while an activity is in flight can hang the test server's rollback
    assertThat(testbed.cancel("olivia", "b-again", "done").statusCode()).isEqualTo(202);
  }

  @Test
  void aGateTimeoutTheWorkflowWouldRefuse_is422_beforeAnythingStarts() {
    HttpResponse<String> response =
        testbed.post(
            "olivia",
            "/api/rotations",
            "{\"rotationId\":\"b-long\",\"secrets\":[\"jwt\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\",\"gateTimeout\":\"P30D\"}");

    assertError(response, 422, "gateTimeout must be positive and at most PT168H");
    assertThat(testbed.get("ada", "/api/rotations/b-long").statusCode()).isEqualTo(404);
  }

  @Test
  void withoutCredentials_the401_saysHowToAuthenticate() {
    HttpResponse<String> response = testbed.get(null, "/api/rotations");

    assertError(response, 401, "Credentials are required");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  @Test
  void anUnknownEndpoint_is404_inTheSameShape() {
    assertError(testbed.get("vera", "/api/nothing-here"), 404, "not found");
  }

  private static JsonNode awaitGate(String id) {
    return testbed.awaitGate(id, "PROCEED");
  }

  static void assertError(HttpResponse<String> response, int status, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = ApiTestbed.json(response);
    assertThat(body.path("code").asInt()).isEqualTo(status);
    assertThat(body.path("message").asText()).contains(message);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
