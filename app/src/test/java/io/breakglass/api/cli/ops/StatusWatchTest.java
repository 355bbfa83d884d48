package io.breakglass.api.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.breakglass.api.BreakglassApplication;
import io.breakglass.api.cli.CommandExit;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code status --watch} and {@code --wait} while a rotation re-encrypts, against a stand-in for
 * {@code GET /api/rotations/{id}} that answers a scripted sequence of statuses (the shape the API
 * sends: instants and durations as numbers of seconds).
 */
class StatusWatchTest {

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void watch_printsABarPerDataSetAsItMoves_andStopsWhenTheRotationWaitsAtTheRevokeGate()
      throws IOException {
    serve(
        status("RUNNING", "REENCRYPT", "null", 0, 100),
        status("RUNNING", "REENCRYPT", "null", 50, 100),
        status(
            "AWAITING_APPROVAL",
            "GATE_REVOKE",
            "{\"gate\":\"REVOKE\",\"required\":1,\"approvals\":[],\"deadline\":1795886646.1}",
            100,
            100),
        status("COMPLETED", "CLOSE", "null", 100, 100));

    Result watch = run("--watch");

    assertThat(watch.exit()).as(watch.out()).isZero();
    assertThat(watch.out())
        .containsPattern(
            "ai-snapshots +\\[#{15}-{15}\\] +50/100 \\(50%\\) 25 items/s, 2s left, shards 1/2")
        .contains("AWAITING_APPROVAL in GATE_REVOKE")
        .contains("gate REVOKE is open: 0/1 approvals, times out at 2026-11-28T17:24:06Z")
        .doesNotContain("COMPLETED");
  }

  @Test
  void wait_goesPastTheGate_andExits6WhenTheRotationRolledBack_negativeControlCompletedExits0()
      throws IOException {
    serve(
        status("RUNNING", "REENCRYPT", "null", 50, 100),
        status(
            "AWAITING_APPROVAL",
            "GATE_REVOKE",
            "{\"gate\":\"REVOKE\",\"required\":1,\"approvals\":[]}",
            100,
            100),
        status("ROLLED_BACK", "GATE_REVOKE", "null", 100, 100));
    Result rolledBack = run("--wait");
    stop();
    serve(
        status("RUNNING", "REENCRYPT", "null", 50, 100),
        status("COMPLETED", "CLOSE", "null", 100, 100));
    Result completed = run("--wait");

    assertThat(rolledBack.exit()).as(rolledBack.out()).isEqualTo(ExitCodes.ROTATION_FAILED);
    assertThat(rolledBack.out()).contains("ROLLED_BACK in GATE_REVOKE");
    assertThat(completed.exit()).as(completed.out()).isZero();
    assertThat(completed.out()).contains("COMPLETED in CLOSE");
  }

  private static String status(String state, String phase, String gate, long done, long planned) {
    return """
        {"record": null, "storedTimeline": [],
         "status": {"rotationId": "w1", "kind": "EMERGENCY", "initiator": "ada", "secrets": ["ai-payload-encryption-key"],
          "phase": "%s", "state": "%s", "pendingGate": %s, "gates": [], "pendingDecision": null, "pendingRestarts": [],
          "progress": [{"dataSet": "ai-snapshots", "targetKeyId": "k:2", "itemsPlanned": %d, "itemsDone": %d,
                        "itemsReencrypted": %d, "shardsDone": %d, "shardsTotal": 2, "itemsPerSecond": 25, "remaining": 2.0}],
          "versions": [], "compensations": [], "refusals": [], "timeline": [], "failure": null}}
        """
        .formatted(phase, state, gate, planned, done, done, done * 2 / planned);
  }

  /** Answers each GET with the next status, then keeps answering the last. */
  private void serve(String... statuses) throws IOException {
    List<String> answers = List.of(statuses);
    AtomicInteger next = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/rotations/w1",
        exchange -> {
          byte[] body =
              answers
                  .get(Math.min(next.getAndIncrement(), answers.size() - 1))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  private record Result(int exit, String out) {}

  private Result run(String mode) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Bootstrap<?> bootstrap = new Bootstrap<>(new BreakglassApplication());
    bootstrap.addCommand(
        new RotationCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            Map.of("BREAKGLASS_TOKEN", "t"),
            Duration.ofMillis(10)));
    String api = "http://127.0.0.1:" + server.getAddress().getPort();
    Optional<Throwable> failure =
        new Cli(new JarLocation(BreakglassApplication.class), bootstrap, out, out)
            .run("rotation", "status", "w1", mode, "--api", api);
    return new Result(
        failure.map(t -> t instanceof CommandExit e ? e.code() : 1).orElse(0),
        out.toString(StandardCharsets.UTF_8));
  }
}
