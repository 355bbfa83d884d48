package io.breakglass.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import io.breakglass.api.BreakglassConfiguration;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rate limits per caller, and the admin port: health checks of every dependency, Prometheus. */
class LimitsAndAdminPortTest extends ApiTest {

  @Test
  void pastItsRateLimit_aCallerGets429WithRetryAfter_whileOthersGoOn() throws Exception {
    DropwizardTestSupport<BreakglassConfiguration> limited =
        testbed.anotherApi(
            "limited", Map.of("startsPerMinute", 2, "decisionsPerMinute", 2), Map.of());
    try {
      String start =
          "{\"rotationId\":\"l-x\",\"secrets\":[\"nope\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\"}";
      int first = post(limited, "olivia", "/api/rotations", start).statusCode();
      int second = post(limited, "olivia", "/api/rotations", start).statusCode();
      HttpResponse<String> third = post(limited, "olivia", "/api/rotations", start);
      int someoneElse = post(limited, "ada", "/api/rotations", start).statusCode();
      post(limited, "bob", "/api/rotations/l-none/gates/PROCEED/approve", "{\"comment\":\"x\"}");
      post(limited, "bob", "/api/rotations/l-none/gates/PROCEED/approve", "{\"comment\":\"x\"}");
      HttpResponse<String> thirdDecision =
          post(
              limited, "bob", "/api/rotations/l-none/gates/PROCEED/approve", "{\"comment\":\"x\"}");

      assertThat(first).isEqualTo(422);
      assertThat(second).isEqualTo(422);
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
      assertThat(ApiTestbed.json(third).path("message").asText())
          .contains("at most 2 start calls per minute");
      assertThat(someoneElse).isEqualTo(422);
      assertThat(thirdDecision.statusCode()).isEqualTo(429);
      // Reads are not limited.
      assertThat(get(limited, "olivia", "/api/rotations").statusCode()).isEqualTo(200);
    } finally {
      testbed.closeAnother(limited);
    }
  }

  @Test
  void theAdminPort_checksTemporalPostgresqlAndTheSecretStore_andServesPrometheus() {
    // One API request of this test's own, so the request timer exists whatever ran before.
    assertThat(testbed.get("vera", "/api/rotations").statusCode()).isEqualTo(200);
    HttpResponse<String> health =
        testbed.send(null, HttpRequest.newBuilder(testbed.adminUri("/healthcheck")).GET());
    HttpResponse<String> metrics =
        testbed.send(null, HttpRequest.newBuilder(testbed.adminUri("/prometheus")).GET());

    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    JsonNode checks = ApiTestbed.json(health);
    for (String check : new String[] {"temporal", "postgresql", "secret-store"}) {
      assertThat(checks.path(check).path("healthy").asBoolean()).as(check).isTrue();
    }
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("breakglass_api_requests_seconds_count")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void withTemporalUnreachable_itsHealthCheckFails_startsAre503_andStoredRotationsStillShow()
      throws Exception {
    assertThat(testbed.start("olivia", "l-stored", "jwt").statusCode()).isEqualTo(201);
    testbed.awaitGate("l-stored", "PROCEED");
    DropwizardTestSupport<BreakglassConfiguration> cutOff =
        testbed.anotherApi(
            "cut-off", Map.of(), Map.of("temporal", Map.of("target", "127.0.0.1:1")));
    try {
      HttpResponse<String> health =
          testbed.send(
              null,
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + cutOff.getAdminPort() + "/healthcheck"))
                  .GET());
      HttpResponse<String> start =
          post(
              cutOff,
              "olivia",
              "/api/rotations",
              "{\"rotationId\":\"l-cut\",\"secrets\":[\"jwt\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\"}");
      HttpResponse<String> stored = get(cutOff, "vera", "/api/rotations/l-stored");

      assertThat(health.statusCode()).isEqualTo(500);
      assertThat(ApiTestbed.json(health).path("temporal").path("healthy").asBoolean()).isFalse();
      assertThat(ApiTestbed.json(health).path("postgresql").path("healthy").asBoolean()).isTrue();
      assertThat(start.statusCode()).as(start.body()).isEqualTo(503);
      assertThat(ApiTestbed.json(start).path("message").asText())
          .contains("Temporal did not answer");
      assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
      assertThat(ApiTestbed.json(stored).path("record").path("initiator").asText())
          .isEqualTo("olivia");
      assertThat(ApiTestbed.json(stored).path("status").isNull()).isTrue();
    } finally {
      testbed.closeAnother(cutOff);
      testbed.cancel("olivia", "l-stored", "done");
    }
  }

  private static HttpResponse<String> post(
      DropwizardTestSupport<?> api, String user, String path, String json) {
    return testbed.send(
        user,
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.getLocalPort() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static HttpResponse<String> get(DropwizardTestSupport<?> api, String user, String path) {
    return testbed.send(
        user,
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.getLocalPort() + path)).GET());
  }
}
