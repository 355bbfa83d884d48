package io.breakglass.api.resources;

import static io.breakglass.api.resources.BadInputTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import io.breakglass.api.http.RawHttp;
import io.breakglass.worker.dev.DevSettings;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests an attacker would send, each refused with the API's error shape before it changes
 * anything, next to the near miss that is accepted (the negative control): a token in the URL,
 * control characters in free text, approvals below the policy or as a string or fraction, a secret
 * named twice, a body in another charset, a pending value with line breaks, a hostile {@code Host}
 * header; and a call whose audit row cannot be written fails instead of succeeding unaudited.
 */
class HostileInputTest extends ApiTest {

  /** A ROUTINE rotation that asked for more approvals than its kind's two: allowed. */
  private static final String ROUTINE = "h-routine";

  @BeforeAll
  static void aRoutineRotationAskingForThreeApprovals_startsAndWaitsAtItsGate() throws Exception {
    HttpResponse<String> raised =
        start(
            ROUTINE,
            "ai-payload-encryption-key",
            "ROUTINE",
            "\"reason\":\"yearly\",\"requiredApprovals\":3");
    assertThat(raised.statusCode()).as(raised.body()).isEqualTo(201);
    assertThat(testbed.awaitGate(ROUTINE, "PROCEED").path("pendingGate").path("required").asInt())
        .isEqualTo(3);
  }

  @Test
  void aTokenInTheUrl_is401_evenBesideAValidHeader_whileTheHeaderAloneWorks() {
    String query = "/api/rotations?access_token=" + ApiTestbed.token("ada");

    assertError(testbed.get(null, query), 401, "never in the URL");
    assertError(testbed.get("ada", query), 401, "never in the URL");
    assertThat(testbed.get("ada", "/api/rotations").statusCode()).isEqualTo(200);
  }

  @Test
  void controlCharactersInAReasonOrComment_are422NamingTheField_whileTabsAndLineBreaksPass() {
    String nul = "\\u0000";
    assertError(
        start("h-nul", "jwt", "EMERGENCY", "\"reason\":\"leak" + nul + "\""),
        422,
        "reason must not contain control characters");
    assertError(
        start("h-esc", "jwt", "EMERGENCY", "\"reason\":\"\\u001b[31mred\""),
        422,
        "reason must not contain control characters");
    assertThat(testbed.get("vera", "/api/rotations/h-nul").statusCode()).isEqualTo(404);
    String rotation = "/api/rotations/" + ROUTINE;
    assertError(
        testbed.post("bob", rotation + "/gates/PROCEED/approve", "{\"comment\":\"ok" + nul + "\"}"),
        422,
        "comment must not contain control characters");
    assertError(
        testbed.post("bob", rotation + "/gates/PROCEED/reject", "{\"comment\":\"no\\u0007\"}"),
        422,
        "comment");
    assertError(
        testbed.post("olivia", rotation + "/halt", "{\"comment\":\"" + nul + "\"}"),
        422,
        "comment");
    assertError(
        testbed.post(
            "olivia",
            rotation + "/resume",
            "{\"action\":\"CONTINUE\",\"comment\":\"" + nul + "\"}"),
        422,
        "comment");
    assertError(
        testbed.post(
            "olivia",
            rotation + "/restarts/backend",
            "{\"ready\":true,\"comment\":\"" + nul + "\"}"),
        422,
        "comment");
    assertError(
        testbed.post("olivia", rotation + "/versions/jwt/unrevoke", "{\"reason\":\"" + nul + "\"}"),
        422,
        "reason");
    assertThat(testbed.status(ROUTINE).path("pendingGate").path("approvals")).isEmpty();

    HttpResponse<String> approved =
        testbed.post(
            "bob",
            rotation + "/gates/PROCEED/approve",
            "{\"comment\":\"checked\\tthe ticket\\nand the logs\"}");

    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    assertThat(ApiTestbed.json(approved).path("approvals").get(0).path("comment").asText())
        .isEqualTo("checked\tthe ticket\nand the logs");
  }

  @Test
  void aRoutineRotation_cannotLowerItsApprovals_andTheCountIsAJsonInteger() {
    assertError(
        start("h-low", "jwt", "ROUTINE", "\"reason\":\"x\",\"requiredApprovals\":1"),
        422,
        "requiredApprovals must be at least 2 for a ROUTINE rotation");
    for (String notAnInteger : List.of("1.9", "\"1\"", "\"2\"", "2.0")) {
      assertError(
          start(
              "h-low", "jwt", "ROUTINE", "\"reason\":\"x\",\"requiredApprovals\":" + notAnInteger),
          422,
          "requiredApprovals must be an integer");
    }
    assertError(
        testbed.post(
            "olivia",
            "/api/rotations/" + ROUTINE + "/restarts/backend",
            "{\"ready\":\"true\",\"comment\":\"x\"}"),
        422,
        "ready must be true or false");
    assertThat(testbed.get("vera", "/api/rotations/h-low").statusCode()).isEqualTo(404);
    // The negative control: the same kind asking for more than its policy started (see @BeforeAll).
    assertThat(testbed.status(ROUTINE).path("pendingGate").path("required").asInt()).isEqualTo(3);
  }

  @Test
  void aSecretNamedTwice_is422_andStartsNothing() {
    HttpResponse<String> twice =
        testbed.post(
            "olivia",
            "/api/rotations",
            "{\"rotationId\":\"h-twice\",\"secrets\":[\"jwt\",\"jwt\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\"}");

    assertError(twice, 422, "secrets names jwt more than once");
    assertThat(testbed.get("vera", "/api/rotations/h-twice").statusCode()).isEqualTo(404);
    assertThat(testbed.secretLocks()).noneMatch(lock -> lock.rotationId().equals("h-twice"));
  }

  @Test
  void aBodyDeclaredInAnotherCharset_is415_whileUtf8ReachesValidation() {
    String body =
        "{\"rotationId\":\"h-utf\",\"secrets\":[\"nope\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\"}";

    assertError(
        send("olivia", "POST", "/api/rotations", "application/json; charset=utf-16", body),
        415,
        "charset=utf-16");
    assertError(
        send(
            "olivia",
            "PUT",
            "/api/secrets/openai/pending-value",
            "text/plain; charset=iso-8859-1",
            "sk-x"),
        415,
        "UTF-8");
    assertError(
        send("olivia", "POST", "/api/rotations", "application/json; charset=UTF-8", body),
        422,
        "secret nope is not configured");
  }

  @Test
  void aPendingValueWithControlCharacters_is422_andLeavesTheStagedValue() {
    String good = "sk-good-" + Long.toHexString(System.nanoTime());
    assertThat(
            send("olivia", "PUT", "/api/secrets/openai/pending-value", "text/plain", good + "\r\n")
                .statusCode())
        .isEqualTo(204);

    for (String bad : List.of("sk-a\rb", "sk-a\nb", "sk-a\u0000b", "sk-a\tb", "sk-ab\n\n")) {
      HttpResponse<String> refused =
          send("olivia", "PUT", "/api/secrets/openai/pending-value", "text/plain", bad);
      assertError(refused, 422, "control characters");
      assertThat(refused.body()).doesNotContain("sk-a");
    }
    assertThat(new String(testbed.stack().store().staged("openai"), StandardCharsets.UTF_8))
        .isEqualTo(good);
  }

  @Test
  void theLocationOfANewRotation_isRelative_whateverTheHostHeaderSays() throws Exception {
    String body =
        "{\"rotationId\":\"h-host\",\"secrets\":[\"artifact-encryption-key\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\"}";
    RawHttp.Answer created =
        RawHttp.exchange(
            testbed.app().getLocalPort(),
            "POST /api/rotations HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer "
                + ApiTestbed.token("olivia")
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length()
                + "\r\nConnection: close\r\n\r\n"
                + body);

    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/rotations/h-host");
    assertThat(created.raw()).doesNotContain("evil.example");
    testbed.awaitGate("h-host", "PROCEED");
    assertThat(testbed.cancel("olivia", "h-host", "done").statusCode()).isEqualTo(202);
  }

  @Test
  void aCallWhoseAuditRowCannotBeWritten_failsInsteadOfSucceedingUnaudited() throws Exception {
    Jdbi database = Jdbi.create(testbed.stack().jdbcUrl(DevSettings.BREAKGLASS_DATABASE));
    String start =
        "{\"rotationId\":\"h-unaudited\",\"secrets\":[\"jwt\"],\"kind\":\"EMERGENCY\",\"reason\":\"audit down\"}";

    // No row of ada's can be written: her calls are refused before they do anything.
    refuseAuditRows(database, "actor <> 'ada'");
    try {
      HttpResponse<String> refused = testbed.post("ada", "/api/rotations", start);
      assertError(refused, 503, "the audit log cannot be written, so nothing was done");
      assertThat(ApiTestbed.json(refused).path("message").asText())
          .containsPattern("error id [0-9a-f]{16}");
      assertError(testbed.get("ada", "/api/rotations"), 503, "the audit log cannot be written");
    } finally {
      allowAuditRows(database);
    }
    assertThat(testbed.get("vera", "/api/rotations/h-unaudited").statusCode())
        .as("nothing started")
        .isEqualTo(404);
    assertThat(testbed.secretLocks()).noneMatch(lock -> lock.rotationId().equals("h-unaudited"));

    // Her row can be opened but not completed: the call ran, she hears it was not audited.
    refuseAuditRows(database, "actor <> 'ada' OR result = 'pending'");
    HttpResponse<String> unfinished;
    try {
      unfinished = testbed.post("ada", "/api/rotations/h-nothing/halt", "{\"comment\":\"x\"}");
    } finally {
      allowAuditRows(database);
    }
    assertError(unfinished, 500, "its audit row could not be completed");
    assertThat(ApiTestbed.json(unfinished).path("message").asText())
        .containsPattern("internal error \\(id [0-9a-f]{16}\\)");
    assertThat(auditRows("h-nothing")).contains("ada POST /api/rotations/{id}/halt pending");

    // The negative control: with the audit log writable, the same start works.
    HttpResponse<String> started = testbed.post("ada", "/api/rotations", start);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    assertThat(auditRows(null)).contains("ada POST /api/rotations 201");
    testbed.awaitGate("h-unaudited", "PROCEED");
    assertThat(testbed.cancel("olivia", "h-unaudited", "done").statusCode()).isEqualTo(202);
  }

  private static void refuseAuditRows(Jdbi database, String allowed) {
    database.useHandle(
        h ->
            h.execute(
                "ALTER TABLE breakglass.audit_log ADD CONSTRAINT test_audit_down CHECK ("
                    + allowed
                    + ") NOT VALID"));
  }

  private static void allowAuditRows(Jdbi database) {
    database.useHandle(
        h ->
            h.execute(
                "ALTER TABLE breakglass.audit_log DROP CONSTRAINT IF EXISTS test_audit_down"));
  }

  /**
   * "actor action result" of the newest audit rows about {@code target} (null: rows without one).
   */
  private static List<String> auditRows(String target) {
    JsonNode rows = ApiTestbed.json(testbed.get("ada", "/api/audit?limit=50"));
    return StreamSupport.stream(rows.spliterator(), false)
        .filter(
            row ->
                target == null
                    ? row.path("target").isNull()
                    : target.equals(row.path("target").asText()))
        .map(
            row ->
                row.path("actor").asText()
                    + " "
                    + row.path("action").asText()
                    + " "
                    + row.path("result").asText())
        .toList();
  }

  private static HttpResponse<String> start(String id, String secret, String kind, String fields) {
    return testbed.post(
        "olivia",
        "/api/rotations",
        "{\"rotationId\":\""
            + id
            + "\",\"secrets\":[\""
            + secret
            + "\"],\"kind\":\""
            + kind
            + "\","
            + fields
            + "}");
  }

  private static HttpResponse<String> send(
      String user, String method, String path, String type, String body) {
    return testbed.send(
        user,
        HttpRequest.newBuilder(testbed.uri(path))
            .header("Content-Type", type)
            .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }
}
