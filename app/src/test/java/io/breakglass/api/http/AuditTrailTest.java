package io.breakglass.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Every call leaves one audit row, refused ones included: who, what, which, when, result. */
class AuditTrailTest extends ApiTest {

  @Test
  void allowedAndRefusedCalls_eachLeaveARow_withCallerEndpointTargetAndStatus() {
    testbed.get(null, "/api/rotations/a-audited");
    testbed.post("vera", "/api/rotations/a-audited/halt", "{\"comment\":\"not mine to halt\"}");
    testbed.get("vera", "/api/rotations/a-audited");
    testbed.post("olivia", "/api/rotations/a-audited/halt", "{\"comment\":\"stop it\"}");

    List<String> rows =
        StreamSupport.stream(
                ApiTestbed.json(testbed.get("ada", "/api/audit?limit=1000")).spliterator(), false)
            .filter(row -> "a-audited".equals(row.path("target").asText()))
            .map(AuditTrailTest::line)
            .toList();

    assertThat(rows)
        .containsExactly(
            "olivia POST /api/rotations/{id}/halt 404 halt: stop it",
            "vera GET /api/rotations/{id} 404 null",
            "vera POST /api/rotations/{id}/halt 403 null",
            "anonymous GET /api/rotations/{id} 401 null");
  }

  @Test
  void aRow_carriesTheDatabaseTime() {
    testbed.get("vera", "/api/rotations/a-timed");

    // The audit call itself is recorded after it answered, so the newest row is the one before it.
    JsonNode row = ApiTestbed.json(testbed.get("ada", "/api/audit?limit=5")).get(0);
    assertThat(row.path("target").asText()).isEqualTo("a-timed");
    assertThat(row.path("at").asText()).isNotBlank();
  }

  private static String line(JsonNode row) {
    return row.path("actor").asText()
        + " "
        + row.path("action").asText()
        + " "
        + row.path("result").asText()
        + " "
        + (row.path("detail").isNull() ? "null" : row.path("detail").asText());
  }
}
