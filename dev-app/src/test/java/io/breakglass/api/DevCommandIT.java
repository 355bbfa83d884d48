package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.worker.embedded.TemporalCli;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's {@code dev}: the embedded stack plus the operator API on loopback, with its
 * demo users' tokens in {@code dev-users.json} (0600), each of whom the API knows with their role.
 * With the Temporal CLI on the machine it runs the real Temporal server, whose Web UI decodes
 * payloads through the API's codec endpoint; without it, it says so in one line.
 */
class DevCommandIT {

  @TempDir Path folder;

  @Test
  void dev_servesTheApi_toTheUsersItWritesDown() throws Exception {
    int apiPort = freePort();
    int adminPort = freePort();
    Path data = folder.resolve("data");
    Path log = folder.resolve("dev.log");
    Process dev =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "breakglass-dev.jar").toString(),
                "dev",
                "--data",
                data.toString(),
                "--temporal-port",
                "0",
                "--ui-port",
                "0",
                "--metrics-port",
                "0",
                "--api-port",
                String.valueOf(apiPort),
                "--admin-port",
                String.valueOf(adminPort))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      awaitLine(log, "Operator API: http://127.0.0.1:" + apiPort + "/api");
      Path usersFile = data.resolve("dev-users.json");
      JsonNode users = new ObjectMapper().readTree(usersFile.toFile()).path("users");
      HttpClient http = HttpClient.newHttpClient();

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(usersFile)))
          .isEqualTo("rw-------");
      assertThat(users).hasSize(5);
      for (JsonNode user : users) {
        HttpResponse<String> me =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/me"))
                    .header("Authorization", "Bearer " + user.path("token").asText())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        JsonNode caller = new ObjectMapper().readTree(me.body());
        assertThat(caller.path("name").asText()).isEqualTo(user.path("name").asText());
        assertThat(caller.path("roles")).isEqualTo(user.path("roles"));
      }
      assertThat(Files.readString(data.resolve("dev.yml")))
          .doesNotContain(users.get(0).path("token").asText());
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
      if (TemporalCli.find().isPresent()) {
        String ui = lineAfter(log, "Temporal Web UI:      ").split(" ")[0];
        HttpResponse<String> decoded =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/codec/decode"))
                    .header("Origin", ui)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"payloads\":[]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(Files.readString(log))
            .contains("Temporal server (temporal server start-dev): 127.0.0.1:");
        assertThat(decoded.statusCode())
            .as("the Web UI's codec call, which carries no token")
            .isEqualTo(200);
        assertThat(decoded.headers().firstValue("Access-Control-Allow-Origin")).contains(ui);
        assertThat(data.resolve("temporal.db")).exists();
      } else {
        assertThat(Files.readString(log))
            .contains(TemporalCli.MISSING)
            .contains("Temporal test server: 127.0.0.1:");
      }
    } finally {
      dev.destroy();
      assertThat(dev.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static void awaitLine(Path log, String line) throws Exception {
    try {
      await("dev prints '" + line + "'")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> Files.exists(log) && Files.readString(log).contains(line));
    } catch (ConditionTimeoutException late) {
      throw new AssertionError("dev never printed '" + line + "':\n" + Files.readString(log), late);
    }
  }

  private static String lineAfter(Path log, String prefix) throws Exception {
    String output = Files.readString(log);
    return output
        .lines()
        .filter(l -> l.strip().startsWith(prefix.strip()))
        .map(l -> l.strip().substring(prefix.strip().length()).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line '" + prefix + "' in:\n" + output));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
