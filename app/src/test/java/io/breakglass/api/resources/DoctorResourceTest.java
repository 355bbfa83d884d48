package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import io.breakglass.api.RotationRecordRows;
import io.breakglass.worker.dev.DevSettings;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/doctor}: for admins only, what an interrupted rotation left behind (a leftover
 * version, a record still RUNNING whose workflow Temporal does not have), each a finding; once the
 * leftover is gone and the record closed, neither is found again.
 */
class DoctorResourceTest extends ApiTest {

  @Test
  void anAdmin_seesTheLeftoverAndTheStaleRecord_asFindings_untilTheyAreSettled() {
    String leftover = "v-doctor-leftover";
    byte[] value = new byte[32];
    new SecureRandom().nextBytes(value);
    testbed
        .stack()
        .store()
        .createPending(DevSettings.JWT, leftover, value, Map.of("rotationId", "r-doctor-killed"));
    RotationRecordRows.insertRunning(
        Jdbi.create(testbed.stack().jdbcUrl(DevSettings.BREAKGLASS_DATABASE)),
        "r-doctor-killed",
        "rotation-r-doctor-killed-never-started");
    try {
      JsonNode checkup = ApiTestbed.json(testbed.get("ada", "/api/doctor"));

      assertThat(checkup.path("needsAHuman").asBoolean()).isTrue();
      assertThat(findings(checkup))
          .anyMatch(f -> f.contains("version " + leftover + " (PENDING, made by rotation"))
          .anyMatch(f -> f.startsWith("rotation r-doctor-killed was recorded RUNNING"));
      assertThat(secret(checkup, DevSettings.JWT).path("versions").path("PENDING").toString())
          .contains(leftover);
      assertThat(rotationIds(checkup.path("stale"))).contains("r-doctor-killed");
      assertThat(checkup.path("dataSets").size()).as("the API reads no data set").isZero();
    } finally {
      testbed.stack().store().discard(DevSettings.JWT, leftover);
    }

    JsonNode after = ApiTestbed.json(testbed.get("ada", "/api/doctor"));
    assertThat(findings(after))
        .as("negative control: settled, neither is found again")
        .noneMatch(f -> f.contains(leftover) || f.contains("r-doctor-killed"));
    assertThat(rotationIds(after.path("stale"))).doesNotContain("r-doctor-killed");
  }

  @Test
  void everyOtherRole_isRefused() {
    for (String user : List.of("vera", "olivia", "bob")) {
      assertThat(testbed.get(user, "/api/doctor").statusCode()).as(user).isEqualTo(403);
    }
    assertThat(testbed.get(null, "/api/doctor").statusCode()).isEqualTo(401);
  }

  private static List<String> findings(JsonNode checkup) {
    return StreamSupport.stream(checkup.path("findings").spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }

  private static JsonNode secret(JsonNode checkup, String name) {
    return StreamSupport.stream(checkup.path("secrets").spliterator(), false)
        .filter(s -> s.path("secret").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + checkup));
  }

  private static List<String> rotationIds(JsonNode records) {
    return StreamSupport.stream(records.spliterator(), false)
        .map(r -> r.path("rotationId").asText())
        .toList();
  }
}
