package io.breakglass.api.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import io.breakglass.api.BreakglassConfiguration;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API logging to files as an operator would configure it: a reason or comment holding a line
 * break cannot forge a line of the application log (the worker's notices quote reasons), a token in
 * the URL never reaches the request log, and the audit row keeps the text on one line.
 */
class LogInjectionTest extends ApiTest {

  private static final String FORGED = "2026-12-03 INFO fake";

  @TempDir Path folder;

  @Test
  void aReasonWithALineBreak_forgesNoLogLine_andAUrlTokenNeverReachesTheRequestLog()
      throws Exception {
    Path appLog = folder.resolve("breakglass.log");
    Path requestLog = folder.resolve("requests.log");
    DropwizardTestSupport<BreakglassConfiguration> logged =
        testbed.anotherApi(
            "logged",
            Map.of("startsPerMinute", 1_000, "decisionsPerMinute", 1_000),
            Map.of(
                "logging", Map.of("level", "INFO", "appenders", List.of(file(appLog))),
                "server", Map.of("requestLog", Map.of("appenders", List.of(file(requestLog))))));
    try {
      HttpResponse<String> started =
          post(
              logged,
              "olivia",
              "/api/rotations",
              "{\"rotationId\":\"g-forged\",\"secrets\":[\"artifact-encryption-key\"],\"kind\":\"EMERGENCY\","
                  + "\"reason\":\"key in a ticket\\n"
                  + FORGED
                  + " start line\"}");
      assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
      testbed.awaitGate("g-forged", "PROCEED");
      HttpResponse<String> rejected =
          post(
              logged,
              "bob",
              "/api/rotations/g-forged/gates/PROCEED/reject",
              "{\"comment\":\"wrong key\\r\\n" + FORGED + " reject line\"}");
      assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
      HttpResponse<String> queryToken =
          get(logged, "/api/rotations?limit=5&access_token=" + ApiTestbed.token("ada"));
      assertThat(queryToken.statusCode()).isEqualTo(401);
      awaitContains(appLog, "reject line");
      awaitContains(requestLog, "access_token=");
    } finally {
      testbed.closeAnother(logged);
    }

    List<String> app = Files.readAllLines(appLog);
    assertThat(app)
        .as("the reasons reached the log")
        .anyMatch(line -> line.contains(FORGED + " start line"))
        .anyMatch(line -> line.contains(FORGED + " reject line"));
    assertThat(app).noneMatch(line -> line.startsWith(FORGED));
    List<String> requests = Files.readAllLines(requestLog);
    assertThat(requests)
        .anyMatch(
            line -> line.contains("GET /api/rotations?limit=5&access_token=*** HTTP/1.1\" 401"));
    assertThat(String.join("\n", requests)).doesNotContain(ApiTestbed.token("ada"));
    assertThat(testbed.get("ada", "/api/audit?limit=200").body())
        .contains(
            "start EMERGENCY rotation of [artifact-encryption-key]: key in a ticket\\\\n"
                + FORGED
                + " start line");
  }

  private static void awaitContains(Path file, String text) {
    // A file written meanwhile may fail to read: it is read again.
    await(file + " contains " + text)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(java.io.IOException.class)
        .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
        .until(() -> Files.exists(file) && Files.readString(file).contains(text));
  }

  private static Map<String, Object> file(Path path) {
    return Map.of("type", "file", "currentLogFilename", path.toString(), "archive", false);
  }

  private static HttpResponse<String> post(
      DropwizardTestSupport<?> api, String user, String path, String json) {
    return testbed.send(
        user,
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.getLocalPort() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static HttpResponse<String> get(DropwizardTestSupport<?> api, String path) {
    return testbed.send(
        null,
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.getLocalPort() + path)).GET());
  }
}
