package io.breakglass.activities.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.breakglass.activities.config.TrackerConfig;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.IncidentTrackerActivities.Incident;
import io.breakglass.workflows.activities.IncidentTrackerActivities.NextRotationTicket;
import io.breakglass.workflows.messages.values.RotationKind;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tracker webhook against a loopback receiver that records what it gets. */
class IncidentTrackerActivitiesImplTest {

  private static final String TOKEN = "tracker-token-abc123";
  private static final String SIGNING_SECRET = "signing-secret-xyz789";
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final Map<String, String> ENV =
      Map.of("TRACKER_TOKEN", TOKEN, "TRACKER_SIGNING_SECRET", SIGNING_SECRET);

  /** One request as the receiver saw it. */
  record Received(String idempotencyKey, String authorization, String signature, byte[] body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Deque<Integer> answers = new ArrayDeque<>();
  private HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hooks/incidents",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst(TrackerSignature.HEADER),
                  body));
          Integer status;
          synchronized (answers) {
            status = answers.poll();
          }
          exchange.sendResponseHeaders(status == null ? 202 : status, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void aCompletedRotation_filesItsIncidentAndTheNextRotationTicket_signedAndInTheDocumentedShape()
      throws Exception {
    tracker().fileIncident(completed());

    assertThat(received).hasSize(2);
    Received incident = received.get(0);
    Received ticket = received.get(1);
    assertThat(incident.idempotencyKey()).isEqualTo("r-42/incident-completed");
    assertThat(ticket.idempotencyKey()).isEqualTo("r-42/next-rotation-ticket");
    assertThat(incident.authorization()).isEqualTo("Bearer " + TOKEN);
    for (Received each : received) {
      assertThat(TrackerSignature.verifies(SIGNING_SECRET, each.body(), each.signature())).isTrue();
      // Negative control: the same body does not verify under another secret, nor altered.
      assertThat(TrackerSignature.verifies("another-secret", each.body(), each.signature()))
          .isFalse();
      byte[] altered = each.body().clone();
      altered[altered.length - 3] ^= 0x01;
      assertThat(TrackerSignature.verifies(SIGNING_SECRET, altered, each.signature())).isFalse();
      String text = new String(each.body(), StandardCharsets.UTF_8);
      assertThat(text).doesNotContain(TOKEN).doesNotContain(SIGNING_SECRET);
    }

    JsonNode body = new ObjectMapper().readTree(incident.body());
    assertThat(fieldNames(body))
        .containsExactly(
            "type",
            "id",
            "rotationId",
            "kind",
            "state",
            "initiator",
            "reason",
            "startedAt",
            "endedAt",
            "secrets",
            "versions",
            "approvers",
            "validations",
            "followUps",
            "failure",
            "nextRotationDue",
            "sentAt");
    assertThat(body.get("type").asText()).isEqualTo("incident");
    assertThat(body.get("id").asText()).isEqualTo("r-42/incident-completed");
    assertThat(body.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(body.get("startedAt").asText()).isEqualTo("2026-12-01T09:00:00Z");
    assertThat(body.get("endedAt").asText()).isEqualTo("2026-12-01T09:40:00Z");
    assertThat(body.get("validations").get(0).asText()).isEqualTo("smoke health: passed 200");
    assertThat(body.get("followUps").get(0).asText())
        .startsWith("confirm the automation tickets are regenerated");
    assertThat(body.get("failure").isNull()).isTrue();
    assertThat(body.get("sentAt").asText()).isEqualTo(NOW.toString());

    JsonNode next = new ObjectMapper().readTree(ticket.body());
    assertThat(fieldNames(next))
        .containsExactly(
            "type", "id", "rotationId", "title", "dueAt", "secrets", "tasks", "sentAt");
    assertThat(next.get("title").asText())
        .isEqualTo("Routine rotation of ai-payload-encryption-key due 2027-03-01T09:40:00Z");
    assertThat(next.get("tasks").get(0).asText())
        .isEqualTo("confirm the automation tickets are regenerated");
  }

  @Test
  void aTrackerThatAnswers500_getsTheSameItemAgain_underTheSameKey() {
    answers.add(500);

    tracker().fileIncident(completed());

    assertThat(received)
        .extracting(Received::idempotencyKey)
        .containsExactly(
            "r-42/incident-completed", "r-42/incident-completed", "r-42/next-rotation-ticket");
    assertThat(received.get(0).body()).isEqualTo(received.get(1).body());
  }

  @Test
  void aFailedRotation_filesItsIncidentWithoutATicket() throws Exception {
    Incident failed =
        new Incident(
            "r-43",
            RotationKind.EMERGENCY,
            "alice",
            "key leaked",
            RotationState.FAILED,
            NOW,
            NOW,
            List.of("ai-payload-encryption-key"),
            List.of(),
            List.of(),
            List.of(),
            List.of("repair by hand: discard version v2"),
            "SMOKE_TEST_FAILED: health",
            null);

    tracker().fileIncident(failed);

    assertThat(received)
        .extracting(Received::idempotencyKey)
        .containsExactly("r-43/incident-failed");
    JsonNode body = new ObjectMapper().readTree(received.get(0).body());
    assertThat(body.get("failure").asText()).isEqualTo("SMOKE_TEST_FAILED: health");
    assertThat(body.get("nextRotationDue").isNull()).isTrue();
  }

  @Test
  void aRefusal_isFinal_andFailsTheActivityWithoutTheToken() {
    answers.add(400);

    assertThatThrownBy(() -> tracker().fileIncident(completed()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(RotationErrors.NOTIFICATION_FAILED.name());
              assertThat(failure.getOriginalMessage())
                  .contains("answered 400", "r-42/incident-completed")
                  .doesNotContain(TOKEN);
            });
    assertThat(received).hasSize(1);
  }

  @Test
  void withoutATracker_nothingIsSent() {
    new IncidentTrackerActivitiesImpl(null, ENV::get).fileIncident(completed());

    assertThat(received).isEmpty();
  }

  @Test
  void aNamedVariableThatIsNotSet_isRefusedAtStart() {
    TrackerConfig config = new TrackerConfig(url(), "NO_SUCH_VARIABLE", null, 0);

    assertThatThrownBy(() -> new IncidentTrackerActivitiesImpl(config, ENV::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NO_SUCH_VARIABLE");
  }

  private IncidentTrackerActivitiesImpl tracker() {
    return new IncidentTrackerActivitiesImpl(
        new TrackerConfig(url(), "TRACKER_TOKEN", "TRACKER_SIGNING_SECRET", 3),
        ENV::get,
        Duration.ofMillis(10),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/incidents");
  }

  private static Incident completed() {
    Instant due = Instant.parse("2027-03-01T09:40:00Z");
    return new Incident(
        "r-42",
        RotationKind.ROUTINE,
        "routine-scheduler",
        "routine rotation",
        RotationState.COMPLETED,
        Instant.parse("2026-12-01T09:00:00Z"),
        Instant.parse("2026-12-01T09:40:00Z"),
        List.of("ai-payload-encryption-key"),
        List.of("ai-payload-encryption-key r-42-v replaced v1"),
        List.of("bob", "carol"),
        List.of("smoke health: passed 200"),
        List.of("confirm the automation tickets are regenerated for the next routine rotation"),
        null,
        new NextRotationTicket(
            due,
            List.of("ai-payload-encryption-key"),
            List.of("confirm the automation tickets are regenerated")));
  }

  private static List<String> fieldNames(JsonNode node) {
    return StreamSupport.stream(((Iterable<String>) node::fieldNames).spliterator(), false)
        .collect(Collectors.toList());
  }
}
