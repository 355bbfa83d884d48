package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import io.breakglass.api.RotationRecordRows;
import io.breakglass.api.core.RotationRecordReconciler;
import io.breakglass.worker.dev.DevSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.StreamSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A rotation record whose workflow ended without closing it (terminated from Temporal, which runs
 * no compensation; or gone from Temporal) gets its real end state and time when the API lists it,
 * and from the periodic sweep; a rotation whose workflow still runs stays RUNNING.
 */
class RotationRecordsReconciledTest extends ApiTest {

  @Test
  void aRotationTerminatedInTemporal_isListedTerminated_withItsCloseTime() {
    assertThat(testbed.start("olivia", "rec-terminated", "jwt").statusCode()).isEqualTo(201);
    testbed.awaitGate("rec-terminated", "PROCEED");
    assertThat(record("rec-terminated").path("state").asText())
        .as("negative control: the record says RUNNING until it is compared with Temporal")
        .isEqualTo("RUNNING");
    assertThat(stored("rec-terminated")).isEqualTo("RUNNING");
    Instant beforeTerminating = Instant.now();

    testbed.terminate("rec-terminated");

    JsonNode listed = record("rec-terminated");
    assertThat(listed.path("state").asText()).isEqualTo("TERMINATED");
    assertThat(Instant.ofEpochMilli(Math.round(listed.path("endedAt").asDouble() * 1000)))
        .isAfterOrEqualTo(beforeTerminating.minusSeconds(1));
    assertThat(listed.path("failure").asText()).contains("terminated in Temporal");
    assertThat(stored("rec-terminated")).as("written back").isEqualTo("TERMINATED");
    JsonNode detail = ApiTestbed.json(testbed.get("ada", "/api/rotations/rec-terminated"));
    assertThat(detail.path("record").path("state").asText()).isEqualTo("TERMINATED");
  }

  @Test
  void aRecordWhoseWorkflowTemporalDoesNotHave_isClosedGone_byTheSweep() {
    RotationRecordRows.insertRunning(jdbi(), "rec-gone", "rotation-rec-gone-never-started");
    RotationRecordReconciler reconciler =
        new RotationRecordReconciler(testbed.stack().client(), history(), Clock.systemUTC());

    int closed = reconciler.sweep();

    assertThat(closed).isPositive();
    assertThat(stored("rec-gone")).isEqualTo("GONE");
    JsonNode listed = record("rec-gone");
    assertThat(listed.path("endedAt").isNumber()).as(listed.toString()).isTrue();
    assertThat(listed.path("failure").asText()).contains("Temporal has no workflow");
  }

  @Test
  void aRotationStillRunning_staysRunning_whenListedAndSwept() {
    assertThat(testbed.start("olivia", "rec-running", "openai").statusCode()).isEqualTo(201);
    testbed.awaitGate("rec-running", "PROCEED");

    new RotationRecordReconciler(testbed.stack().client(), history(), Clock.systemUTC()).sweep();

    assertThat(record("rec-running").path("state").asText()).isEqualTo("RUNNING");
    assertThat(record("rec-running").path("endedAt").isNull()).isTrue();
    assertThat(stored("rec-running")).isEqualTo("RUNNING");
    testbed.endOpenRotations();
  }

  /** The rotation as {@code GET /api/rotations} lists it. */
  private static JsonNode record(String rotationId) {
    JsonNode list = ApiTestbed.json(testbed.get("ada", "/api/rotations?limit=1000"));
    return StreamSupport.stream(list.spliterator(), false)
        .filter(r -> r.path("rotationId").asText().equals(rotationId))
        .findFirst()
        .orElseThrow(() -> new AssertionError(rotationId + " not listed: " + list));
  }

  private static String stored(String rotationId) {
    return RotationRecordRows.state(jdbi(), rotationId);
  }

  private static RotationHistory history() {
    return new RotationHistory(jdbi());
  }

  private static Jdbi jdbi() {
    return Jdbi.create(testbed.stack().jdbcUrl(DevSettings.BREAKGLASS_DATABASE));
  }
}
