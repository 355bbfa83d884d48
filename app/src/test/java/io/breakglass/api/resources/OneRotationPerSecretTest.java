package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * One rotation per secret through the API: a start touching a secret that a running rotation holds
 * is 409 in the API's error shape, naming that rotation, and starts nothing; once the rotation has
 * ended its secrets can be rotated again.
 */
class OneRotationPerSecretTest extends ApiTest {

  @Test
  void aStartOverlappingARunningRotation_is409NamingIt_andStartsNothing_untilThatRotationEnds()
      throws Exception {
    HttpResponse<String> first = testbed.start("olivia", "o-first", "jwt");
    // At once, not only once the first rotation's PLAN ran: the API locks before it starts.
    HttpResponse<String> overlapping =
        testbed.post(
            "ada",
            "/api/rotations",
            "{\"rotationId\":\"o-second\",\"secrets\":[\"openai\",\"jwt\"],\"kind\":\"EMERGENCY\",\"reason\":\"x\"}");
    HttpResponse<String> other = testbed.start("olivia", "o-other", "openai");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(overlapping.statusCode()).as(overlapping.body()).isEqualTo(409);
    JsonNode error = ApiTestbed.json(overlapping);
    assertThat(error.path("code").asInt()).isEqualTo(409);
    assertThat(error.path("message").asText())
        .isEqualTo("secret jwt is being rotated by rotation o-first");
    assertThat(testbed.get("ada", "/api/rotations/o-second").statusCode())
        .as("nothing started")
        .isEqualTo(404);
    assertThat(other.statusCode())
        .as("negative control: the refused start locked nothing. " + other.body())
        .isEqualTo(201);

    testbed.awaitGate("o-first", "PROCEED");
    assertThat(testbed.cancel("olivia", "o-first", "done").statusCode()).isEqualTo(202);
    testbed.awaitClosed("o-first");
    HttpResponse<String> afterwards = testbed.start("olivia", "o-third", "jwt");

    assertThat(afterwards.statusCode()).as(afterwards.body()).isEqualTo(201);
    testbed.awaitGate("o-third", "PROCEED");
  }
}
