package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The way back after REVOKE through the API alone: a completed rotation's revoked version is asked
 * back by an admin, refused to the wrong roles and to the asker's own approval, approved by two
 * approvers, its restart confirmed by an operator; then the store has it active again and the
 * rotation's stored timeline says so.
 */
class RevokeRecoveryThroughTheApiTest extends ApiTest {

  private static final List<String> ENDED = List.of("COMPLETED", "ROLLED_BACK", "FAILED");

  private static final String SECRET = "ai-payload-encryption-key";
  private static final String UNREVOKE = "/api/rotations/u-full/versions/" + SECRET + "/unrevoke";
  private static final String REASON =
      "{\"reason\":\"an export from last week is under the old key\"}";

  @Test
  void aRevokedVersion_comesBackThroughTheApi_withTheRevokeGatesApprovalsAndRoles()
      throws Exception {
    assertThat(
            testbed
                .post(
                    "olivia",
                    "/api/rotations",
                    "{\"rotationId\":\"u-full\",\"secrets\":[\""
                        + SECRET
                        + "\"],\"kind\":\"EMERGENCY\","
                        + "\"reason\":\"key seen in a ticket\",\"requiredApprovals\":2}")
                .statusCode())
        .isEqualTo(201);
    assertThat(steerToTheEnd("u-full").path("state").asText()).isEqualTo("COMPLETED");
    String old =
        testbed.status("u-full").path("versions").get(0).path("replacedVersionId").asText();
    int rotationEntries = storedTimeline("u-full").size();

    assertThat(testbed.post(null, UNREVOKE, REASON).statusCode()).isEqualTo(401);
    assertThat(testbed.post("vera", UNREVOKE, REASON).statusCode()).isEqualTo(403);
    assertThat(testbed.post("bob", UNREVOKE, REASON).statusCode()).isEqualTo(403);
    assertThat(testbed.get("vera", "/api/rotations/u-full/unrevoke").statusCode())
        .as("the refused calls started nothing")
        .isEqualTo(404);
    assertThat(
            testbed.post("ada", UNREVOKE, "{\"reason\":\"x\",\"initiator\":\"bob\"}").statusCode())
        .as("nobody names their own initiator")
        .isEqualTo(400);

    HttpResponse<String> started = testbed.post("ada", UNREVOKE, REASON);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    assertThat(ApiTestbed.json(started).path("workflowId").asText()).isEqualTo("unrevoke-u-full");
    HttpResponse<String> again = testbed.post("olivia", UNREVOKE, REASON);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
    assertThat(ApiTestbed.json(again).path("message").asText()).contains("runs already");

    JsonNode open = awaitRecovery(s -> s.path("state").asText().equals("AWAITING_APPROVAL"));
    assertThat(open.path("gate").path("required").asInt())
        .as("the rotation's REVOKE gate took two")
        .isEqualTo(2);
    assertThat(open.path("versionId").asText()).isEqualTo(old);
    assertThat(open.path("initiator").asText()).isEqualTo("ada");
    HttpResponse<String> own = approve("ada");
    assertThat(own.statusCode()).isEqualTo(403);
    assertThat(ApiTestbed.json(own).path("message").asText()).contains("two-person rule");
    assertThat(approve("olivia").statusCode()).as("an operator does not approve").isEqualTo(403);
    HttpResponse<String> bob = approve("bob");
    assertThat(bob.statusCode()).as(bob.body()).isEqualTo(200);
    assertThat(ApiTestbed.json(bob).path("state").asText()).isEqualTo("OPEN");
    assertThat(approve("bob").statusCode()).as("one person counts once").isEqualTo(409);
    assertThat(version(old).status())
        .as("one approval of two changes nothing")
        .isEqualTo(VersionStatus.REVOKED);
    HttpResponse<String> carol = approve("carol");
    assertThat(ApiTestbed.json(carol).path("state").asText()).isEqualTo("APPROVED");

    awaitRecovery(s -> s.path("pendingRestarts").toString().contains("backend"));
    assertThat(
            testbed
                .post(
                    "olivia",
                    "/api/rotations/u-full/unrevoke/restarts/backend",
                    "{\"ready\":true,\"comment\":\"pods ready\"}")
                .statusCode())
        .isEqualTo(202);
    JsonNode done = awaitRecovery(s -> s.path("state").asText().equals("COMPLETED"));

    assertThat(version(old).status()).isEqualTo(VersionStatus.ACTIVE);
    assertThat(version(old).labels()).containsExactly(Label.PREVIOUS);
    List<JsonNode> stored = storedTimeline("u-full");
    List<JsonNode> added = stored.subList(rotationEntries, stored.size());
    assertThat(added).hasSize(done.path("timeline").size());
    assertThat(added)
        .extracting(e -> e.path("detail").asText())
        .anySatisfy(
            d ->
                assertThat(d)
                    .contains("asked by ada: an export")
                    .endsWith("; approved by bob, carol"))
        .anySatisfy(d -> assertThat(d).contains(old).contains("ACTIVE again"));
    assertThat(
            ApiTestbed.json(testbed.get("vera", "/api/rotations/u-full"))
                .path("record")
                .path("state")
                .asText())
        .isEqualTo("COMPLETED");
    assertThat(testbed.get("vera", "/api/rotations/u-full/report.md").body())
        .as("the incident report goes on after CLOSE")
        .contains("asked by ada")
        .contains("ACTIVE again");
    HttpResponse<String> repeat = testbed.post("ada", UNREVOKE, REASON);
    assertThat(repeat.statusCode()).isEqualTo(409);
    assertThat(ApiTestbed.json(repeat).path("message").asText()).contains("usable again already");
  }

  @Test
  void aRotationThatRevokedNothing_orAnUnknownOne_isRefusedBeforeAnythingStarts() throws Exception {
    assertThat(testbed.start("olivia", "u-rejected", SECRET).statusCode()).isEqualTo(201);
    testbed.awaitGate("u-rejected", "PROCEED");
    testbed.post("bob", "/api/rotations/u-rejected/gates/PROCEED/reject", "{\"comment\":\"no\"}");
    testbed.awaitStatus(
        "u-rejected", s -> s.path("state").asText().equals("ROLLED_BACK"), Duration.ofSeconds(60));

    HttpResponse<String> rolledBack =
        testbed.post(
            "olivia", "/api/rotations/u-rejected/versions/" + SECRET + "/unrevoke", REASON);
    HttpResponse<String> unknown =
        testbed.post("olivia", "/api/rotations/u-never/versions/" + SECRET + "/unrevoke", REASON);
    HttpResponse<String> badId =
        testbed.post("olivia", "/api/rotations/U_BAD/versions/" + SECRET + "/unrevoke", REASON);

    assertThat(rolledBack.statusCode()).isEqualTo(409);
    assertThat(ApiTestbed.json(rolledBack).path("message").asText()).contains("ROLLED_BACK");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(ApiTestbed.json(unknown).path("message").asText()).isEqualTo("no rotation u-never");
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(testbed.get("vera", "/api/rotations/u-rejected/unrevoke").statusCode())
        .isEqualTo(404);
  }

  private static HttpResponse<String> approve(String user) {
    return testbed.post(
        user, "/api/rotations/u-full/unrevoke/approve", "{\"comment\":\"checked\"}");
  }

  private static SecretVersion version(String versionId) {
    return testbed.stack().store().describe(SECRET).version(versionId).orElseThrow();
  }

  private static List<JsonNode> storedTimeline(String rotationId) {
    return StreamSupport.stream(
            ApiTestbed.json(testbed.get("vera", "/api/rotations/" + rotationId))
                .path("storedTimeline")
                .spliterator(),
            false)
        .toList();
  }

  private static JsonNode awaitRecovery(Predicate<JsonNode> condition) {
    return await("the un-revoke gets there")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              HttpResponse<String> response = testbed.get("vera", "/api/rotations/u-full/unrevoke");
              return response.statusCode() == 200 ? ApiTestbed.json(response) : null;
            },
            status -> status != null && condition.test(status));
  }

  /** Approves every gate (bob, then carol) and confirms every restart until the rotation ends. */
  private static JsonNode steerToTheEnd(String id) {
    return await("rotation " + id + " ends")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> steer(id), status -> ENDED.contains(status.path("state").asText()));
  }

  /**
   * One look at the rotation: approves its open gate and confirms its restart; returns its status.
   */
  private static JsonNode steer(String id) {
    JsonNode status = testbed.status(id);
    if (ENDED.contains(status.path("state").asText())) {
      return status;
    }
    JsonNode gate = status.path("pendingGate");
    if (gate.isObject()) {
      String approver = gate.path("approvals").isEmpty() ? "bob" : "carol";
      if (!gate.path("approvals").toString().contains("\"" + approver + "\"")) {
        testbed.post(
            approver,
            "/api/rotations/" + id + "/gates/" + gate.path("gate").asText() + "/approve",
            "{\"comment\":\"checked\"}");
      }
    }
    if (status.path("pendingRestarts").toString().contains("backend")) {
      testbed.post(
          "olivia",
          "/api/rotations/" + id + "/restarts/backend",
          "{\"ready\":true,\"comment\":\"pods ready\"}");
    }
    return status;
  }
}
