package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A whole emergency rotation driven through the API alone, as operators would: an operator starts
 * it, two approvers pass each gate, the operator confirms each restart; then the list, the status
 * and the incident report (JSON and Markdown) tell what happened.
 */
class RotationThroughTheApiTest extends ApiTest {

  private static final List<String> ENDED = List.of("COMPLETED", "ROLLED_BACK", "FAILED");

  @Test
  void aRotation_runsToTheEnd_andItsReportNamesApproversChecksAndItemCounts() throws Exception {
    HttpResponse<String> started =
        testbed.post(
            "olivia",
            "/api/rotations",
            "{\"rotationId\":\"j-full\",\"secrets\":[\"ai-payload-encryption-key\"],\"kind\":\"EMERGENCY\","
                + "\"reason\":\"key seen in a support ticket\",\"requiredApprovals\":2}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);

    JsonNode status = steerToTheEnd("j-full");

    assertThat(status.path("state").asText()).isEqualTo("COMPLETED");
    JsonNode report = ApiTestbed.json(testbed.get("vera", "/api/rotations/j-full/report"));
    assertThat(report.path("initiator").asText()).isEqualTo("olivia");
    assertThat(report.path("reason").asText()).isEqualTo("key seen in a support ticket");
    assertThat(texts(report.path("approvers"))).containsExactly("bob", "carol");
    assertThat(texts(report.path("checks"))).anyMatch(c -> c.startsWith("VERIFY_DATA SUCCEEDED"));
    assertThat(report.path("itemsReencrypted").asLong()).isEqualTo(40);
    assertThat(report.path("timeline").size()).isGreaterThan(14);

    HttpResponse<String> markdown =
        testbed.send(
            "vera",
            HttpRequest.newBuilder(testbed.uri("/api/rotations/j-full/report"))
                .header("Accept", "text/markdown")
                .GET());
    assertThat(markdown.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/markdown"));
    assertThat(markdown.body())
        .contains("# Incident report: rotation j-full")
        .contains("approved by bob")
        .contains("approved by carol")
        .contains("| ai-snapshots | 40 |")
        .isEqualTo(testbed.get("vera", "/api/rotations/j-full/report.md").body());

    JsonNode listed =
        StreamSupport.stream(
                ApiTestbed.json(testbed.get("vera", "/api/rotations?limit=1000")).spliterator(),
                false)
            .filter(r -> r.path("rotationId").asText().equals("j-full"))
            .findFirst()
            .orElseThrow();
    assertThat(listed.path("state").asText()).isEqualTo("COMPLETED");
    assertThat(texts(listed.path("approvers"))).containsExactly("bob", "carol");
    assertThat(
            ApiTestbed.json(testbed.get("vera", "/api/rotations/j-full"))
                .path("storedTimeline")
                .size())
        .isGreaterThan(14);
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
      String approver = texts(gate.path("approvals")).isEmpty() ? "bob" : "carol";
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

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.isObject() ? n.path("approver").asText() : n.asText())
        .toList();
  }
}
