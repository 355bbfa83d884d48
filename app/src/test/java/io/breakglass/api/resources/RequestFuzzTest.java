package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.api.ApiTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random request bodies (JSON of every shape, near-misses of the real fields, broken text) against
 * every endpoint that takes a body, as an admin (who may call them all): none gets a 5xx. Seeded;
 * {@code -Dbreakglass.api.fuzz.seed=N} replays a run.
 */
class RequestFuzzTest extends ApiTest {

  private static final long SEED = Long.getLong("breakglass.api.fuzz.seed", System.nanoTime());
  private static final int REQUESTS = 400;

  private static final String[] FIELDS = {
    "rotationId",
    "secrets",
    "kind",
    "reason",
    "requiredApprovals",
    "gateTimeout",
    "comment",
    "action",
    "ready",
    "initiator",
    "approver",
    "gate",
    "verdict",
    "",
    "rotationid",
    "\u0000"
  };
  private static final String[] WORDS = {
    "f-ok",
    "EMERGENCY",
    "routine",
    "PT1H",
    "P99999999D",
    "-PT1S",
    "jwt",
    "openai",
    "ROLLBACK",
    "CONTINUE",
    "proceed",
    "",
    " ",
    "null",
    "\uD83D\uDD11",
    "a".repeat(3000),
    "../../etc",
    "%00",
    "'; DROP TABLE x; --"
  };

  @BeforeAll
  static void aRotationToAimAt() throws Exception {
    assertThat(testbed.start("olivia", "f-target", "ai-payload-encryption-key").statusCode())
        .isEqualTo(201);
    testbed.awaitGate("f-target", "PROCEED");
  }

  @Test
  void randomBodies_neverGetA5xx() {
    Random random = new Random(SEED);
    String[] paths = {
      "/api/rotations", "/api/rotations/f-target/gates/PROCEED/approve",
          "/api/rotations/f-target/gates/PROCEED/reject",
      "/api/rotations/f-target/halt", "/api/rotations/f-target/resume",
          "/api/rotations/f-target/restarts/backend",
      "/api/rotations/f-target/cancel", "/api/secrets/openai/pending-value",
          "/api/secrets/jwt/pending-value"
    };
    List<String> failures = new ArrayList<>();
    Set<Integer> seen = new TreeSet<>();
    for (int i = 0; i < REQUESTS; i++) {
      String path = paths[random.nextInt(paths.length)];
      String body = random.nextInt(5) == 0 ? brokenText(random) : value(random, 0);
      String type = random.nextInt(8) == 0 ? "text/plain" : "application/json";
      HttpRequest.Builder request =
          HttpRequest.newBuilder(testbed.uri(path))
              .header("Content-Type", type)
              .method(
                  path.endsWith("pending-value") ? "PUT" : "POST",
                  HttpRequest.BodyPublishers.ofString(body));
      HttpResponse<String> response = testbed.send("ada", request);
      seen.add(response.statusCode());
      if (response.statusCode() >= 500) {
        failures.add(
            response.statusCode() + " for " + path + " with " + body + ": " + response.body());
      }
    }
    assertThat(failures).as("seed " + SEED).isEmpty();
    // The bodies reach both the JSON parser and the validator behind it, not only one of them.
    assertThat(seen).as("seed " + SEED).contains(400, 422);
  }

  private static String value(Random random, int depth) {
    int choice = depth > 3 ? random.nextInt(4) : random.nextInt(7);
    return switch (choice) {
      case 0 ->
          "\""
              + WORDS[random.nextInt(WORDS.length)].replace("\\", "\\\\").replace("\"", "\\\"")
              + "\"";
      case 1 -> String.valueOf(random.nextInt(7) == 0 ? Long.MAX_VALUE : random.nextInt(21) - 10);
      case 2 -> random.nextBoolean() ? "true" : "null";
      case 3 -> random.nextBoolean() ? "1e999" : "-0.5";
      case 4, 5 -> object(random, depth);
      default -> array(random, depth);
    };
  }

  private static String object(Random random, int depth) {
    StringBuilder json = new StringBuilder("{");
    int fields = random.nextInt(6);
    for (int i = 0; i < fields; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append('"')
          .append(FIELDS[random.nextInt(FIELDS.length)].replace("\u0000", "\\u0000"))
          .append("\":")
          .append(value(random, depth + 1));
    }
    return json.append('}').toString();
  }

  private static String array(Random random, int depth) {
    StringBuilder json = new StringBuilder("[");
    int items = random.nextInt(4);
    for (int i = 0; i < items; i++) {
      json.append(i > 0 ? "," : "").append(value(random, depth + 1));
    }
    return json.append(']').toString();
  }

  private static String brokenText(Random random) {
    String text = object(random, 0);
    int cut = random.nextInt(text.length() + 1);
    return switch (random.nextInt(3)) {
      case 0 -> text.substring(0, cut);
      case 1 -> text.substring(0, cut) + (char) random.nextInt(0x3000) + text.substring(cut);
      default -> "{".repeat(random.nextInt(2000));
    };
  }
}
