package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint × no token, a wrong token, and a viewer, operator, approver and admin: exactly
 * 401, 403 or the endpoint's 2xx. Refused calls change nothing; allowed ones act on rotations set
 * up to be in the state the endpoint needs. One rotation per secret: those rotations take turns on
 * the secrets, each ended before the next of its secret starts.
 */
class AuthorizationMatrixTest extends ApiTest {

  /** The caller of each role; NONE sends no credentials, WRONG an unknown token. */
  private static final Map<String, String> CALLERS = new LinkedHashMap<>();

  static {
    CALLERS.put("none", null);
    CALLERS.put("wrong", "mallory");
    CALLERS.put("viewer", "vera");
    CALLERS.put("operator", "olivia");
    CALLERS.put("approver", "bob");
    CALLERS.put("admin", "ada");
  }

  /** What pending-value callers send; refused ones must not get it into the store. */
  private static final String PENDING_VALUE = "sk-matrix-value";

  private static final Set<String> ALL = Set.of("viewer", "operator", "approver", "admin");
  private static final Set<String> OPERATORS = Set.of("operator", "admin");
  private static final Set<String> APPROVERS = Set.of("approver", "admin");

  /** Encoding lets the Temporal UI start rotations and send signals, approvals included. */
  private static final Set<String> ENCODERS = Set.of("operator", "approver", "admin");

  /**
   * One endpoint: how to call it on a rotation (or secret) id, the roles it admits, and the 2xx
   * they get.
   */
  private record Endpoint(
      String name, Function<String, HttpRequest.Builder> call, Set<String> allowed, int success) {}

  private static List<Endpoint> endpoints() {
    return List.of(
        new Endpoint("list", id -> get("/api/rotations"), ALL, 200),
        new Endpoint("detail", id -> get("/api/rotations/" + id), ALL, 200),
        new Endpoint("report", id -> get("/api/rotations/" + id + "/report"), ALL, 200),
        new Endpoint("report.json", id -> get("/api/rotations/" + id + "/report.json"), ALL, 200),
        new Endpoint("report.md", id -> get("/api/rotations/" + id + "/report.md"), ALL, 200),
        new Endpoint("me", id -> get("/api/me"), ALL, 200),
        new Endpoint("audit", id -> get("/api/audit"), Set.of("admin"), 200),
        new Endpoint("doctor", id -> get("/api/doctor"), Set.of("admin"), 200),
        new Endpoint("codec-decode", id -> post("/codec/decode", "{\"payloads\":[]}"), ALL, 200),
        new Endpoint(
            "codec-encode", id -> post("/codec/encode", "{\"payloads\":[]}"), ENCODERS, 200),
        new Endpoint(
            "start",
            id ->
                post(
                    "/api/rotations",
                    "{\"rotationId\":\""
                        + id
                        + "\",\"secrets\":[\"jwt\"],\"kind\":\"EMERGENCY\",\"reason\":\"matrix\"}"),
            OPERATORS,
            201),
        new Endpoint(
            "approve",
            id -> post("/api/rotations/" + id + "/gates/PROCEED/approve", "{\"comment\":\"ok\"}"),
            APPROVERS,
            200),
        new Endpoint(
            "reject",
            id -> post("/api/rotations/" + id + "/gates/PROCEED/reject", "{\"comment\":\"no\"}"),
            APPROVERS,
            200),
        new Endpoint(
            "halt",
            id -> post("/api/rotations/" + id + "/halt", "{\"comment\":\"wait\"}"),
            OPERATORS,
            202),
        new Endpoint(
            "resume",
            id ->
                post(
                    "/api/rotations/" + id + "/resume",
                    "{\"action\":\"ROLLBACK\",\"comment\":\"undo\"}"),
            OPERATORS,
            202),
        new Endpoint(
            "cancel",
            id -> post("/api/rotations/" + id + "/cancel", "{\"comment\":\"stop\"}"),
            OPERATORS,
            202),
        new Endpoint(
            "restart",
            id ->
                post(
                    "/api/rotations/" + id + "/restarts/backend",
                    "{\"ready\":true,\"comment\":\"pods ready\"}"),
            OPERATORS,
            202),
        new Endpoint(
            "pending-value",
            id ->
                HttpRequest.newBuilder(testbed.uri("/api/secrets/openai/pending-value"))
                    .header("Content-Type", "text/plain")
                    .PUT(HttpRequest.BodyPublishers.ofString(PENDING_VALUE)),
            OPERATORS,
            204));
  }

  @BeforeAll
  static void aRotationAtItsGate() throws Exception {
    atItsGate("m-den", "ai-payload-encryption-key");
  }

  @Test
  void everyEndpoint_answersEachCaller_withExactly401_403_orItsSuccess() throws Exception {
    List<String> mismatches = new ArrayList<>();
    String before = testbed.status("m-den").toString();

    // Refusals first, all on one rotation at its gate: none of them may change it.
    for (Endpoint endpoint : endpoints()) {
      for (Map.Entry<String, String> caller : CALLERS.entrySet()) {
        if (endpoint.allowed().contains(caller.getKey())) {
          continue;
        }
        int expected = caller.getValue() == null || caller.getKey().equals("wrong") ? 401 : 403;
        check(mismatches, endpoint, caller.getKey(), "m-den", expected);
      }
    }
    assertThat(testbed.status("m-den").toString())
        .as("the refused calls changed nothing")
        .isEqualTo(before);
    // Not "staged as before": a rotation of openai takes a staged value at CREATE_VERSION, at any
    // moment another test chooses. What matters is that the refused callers' value never got in.
    assertThat(testbed.stack().store().staged("openai"))
        .as("no refused call staged its value")
        .isNotEqualTo(PENDING_VALUE.getBytes(StandardCharsets.UTF_8));
    assertThat(testbed.get("ada", "/api/rotations/m-start-viewer").statusCode()).isEqualTo(404);

    // Allowed calls, each on a rotation in the state the endpoint needs.
    Map<String, Endpoint> byName = new LinkedHashMap<>();
    endpoints().forEach(e -> byName.put(e.name(), e));
    for (String name :
        List.of(
            "list",
            "detail",
            "report",
            "report.json",
            "report.md",
            "me",
            "audit",
            "doctor",
            "codec-decode",
            "codec-encode")) {
      for (String role : byName.get(name).allowed()) {
        check(mismatches, byName.get(name), role, "m-den", 200);
      }
    }
    // Both start jwt: the first is terminated so that the second may.
    check(mismatches, byName.get("start"), "operator", "m-start-operator", 201);
    testbed.terminate("m-start-operator");
    check(mismatches, byName.get("start"), "admin", "m-start-admin", 201);
    testbed.terminate("m-start-admin");
    // Halted before its gate is approved, it waits for a decision past the gate; ROLLBACK ends it.
    for (String[] callers : new String[][] {{"operator", "approver"}, {"admin", "admin"}}) {
      String id = "m-h-" + callers[0];
      atItsGate(id, "openai");
      check(mismatches, byName.get("halt"), callers[0], id, 202);
      check(mismatches, byName.get("approve"), callers[1], id, 200);
      testbed.awaitStatus(
          id,
          s -> !s.path("pendingDecision").isMissingNode() && !s.path("pendingDecision").isNull(),
          Duration.ofSeconds(60));
      check(mismatches, byName.get("resume"), callers[0], id, 202);
      testbed.awaitClosed(id);
    }
    for (String role : List.of("approver", "admin")) {
      atItsGate("m-j-" + role, "artifact-encryption-key");
      check(mismatches, byName.get("reject"), role, "m-j-" + role, 200);
      testbed.awaitClosed("m-j-" + role);
    }
    check(mismatches, byName.get("pending-value"), "operator", "openai", 204);
    check(mismatches, byName.get("pending-value"), "admin", "openai", 204);
    atItsGate("m-r-operator", "jwt");
    atItsGate("m-r-admin", "artifact-encryption-key");
    for (String id : List.of("m-r-operator", "m-r-admin")) {
      assertThat(
              testbed
                  .post(
                      "carol",
                      "/api/rotations/" + id + "/gates/PROCEED/approve",
                      "{\"comment\":\"go\"}")
                  .statusCode())
          .isEqualTo(200);
      testbed.awaitStatus(
          id,
          s -> s.path("pendingRestarts").toString().contains("backend"),
          Duration.ofSeconds(90));
    }
    check(mismatches, byName.get("restart"), "operator", "m-r-operator", 202);
    check(mismatches, byName.get("restart"), "admin", "m-r-admin", 202);
    // Cancelled while each waits for its next restart (never while an activity is in flight); the
    // class's end confirms the restarts of their rollbacks.
    for (String id : List.of("m-r-operator", "m-r-admin")) {
      testbed.awaitStatus(
          id,
          s ->
              s.path("pendingRestarts").toString().contains("backend")
                  && s.path("phase").asText().equals("PROMOTE"),
          Duration.ofSeconds(90));
    }
    check(mismatches, byName.get("cancel"), "operator", "m-r-operator", 202);
    check(mismatches, byName.get("cancel"), "admin", "m-r-admin", 202);

    assertThat(mismatches).isEmpty();
  }

  private static void atItsGate(String id, String secret) throws InterruptedException {
    HttpResponse<String> started = testbed.start("olivia", id, secret);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    testbed.awaitGate(id, "PROCEED");
  }

  private static void check(
      List<String> mismatches, Endpoint endpoint, String role, String id, int expected) {
    HttpResponse<String> response = testbed.send(CALLERS.get(role), endpoint.call().apply(id));
    if (response.statusCode() != expected) {
      mismatches.add(
          endpoint.name()
              + " as "
              + role
              + " on "
              + id
              + ": "
              + response.statusCode()
              + " (expected "
              + expected
              + ") "
              + response.body());
    } else if (expected >= 400) {
      assertThat(ApiTestbed.json(response).path("message").asText())
          .as(endpoint.name() + " as " + role)
          .isNotBlank();
    }
  }

  private static HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(testbed.uri(path)).GET();
  }

  private static HttpRequest.Builder post(String path, String json) {
    return HttpRequest.newBuilder(testbed.uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }
}
