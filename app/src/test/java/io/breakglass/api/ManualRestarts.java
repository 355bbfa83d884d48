package io.breakglass.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Plays the operator of the embedded stack's manual deployment target: confirms every restart a
 * rotation waits for, through the API as the operator olivia, until the rotation's status meets a
 * condition.
 */
public final class ManualRestarts {

  private ManualRestarts() {}

  /** Confirms restarts of {@code rotationId} until {@code done}; fails after 90 s. */
  public static JsonNode confirmUntil(
      ApiTestbed testbed, String rotationId, Predicate<JsonNode> done) throws InterruptedException {
    return testbed.awaitStatus(
        rotationId,
        status -> {
          status
              .path("pendingRestarts")
              .forEach(
                  deployment ->
                      testbed.post(
                          "olivia",
                          "/api/rotations/" + rotationId + "/restarts/" + deployment.asText(),
                          "{\"ready\":true,\"comment\":\"pods ready\"}"));
          return done.test(status);
        },
        Duration.ofSeconds(90));
  }
}
