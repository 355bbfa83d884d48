package io.breakglass.activities.tracker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.workflows.activities.IncidentTrackerActivities.Incident;
import io.breakglass.workflows.activities.IncidentTrackerActivities.NextRotationTicket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The two JSON bodies the tracker receives, as docs/decisions/0016-incident-tracker.md documents
 * them: {@code "type":"incident"} and {@code "type":"ticket"}, each with its idempotency key as
 * {@code id}. Ids, dates, counts and decisions only.
 */
final class TrackerPayloads {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrackerPayloads() {}

  /** {@code <rotationId>/incident-<state>}: a failed end and a completion are different items. */
  static String incidentId(Incident incident) {
    return incident.rotationId()
        + "/incident-"
        + Objects.toString(incident.state(), "ENDED").toLowerCase(Locale.ROOT);
  }

  /** {@code <rotationId>/next-rotation-ticket}. */
  static String ticketId(Incident incident) {
    return incident.rotationId() + "/next-rotation-ticket";
  }

  static byte[] incident(Incident incident, Instant sentAt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "incident");
    body.put("id", incidentId(incident));
    body.put("rotationId", incident.rotationId());
    body.put("kind", Objects.toString(incident.kind(), null));
    body.put("state", Objects.toString(incident.state(), null));
    body.put("initiator", incident.initiator());
    body.put("reason", incident.reason());
    body.put("startedAt", text(incident.startedAt()));
    body.put("endedAt", text(incident.endedAt()));
    body.put("secrets", incident.secrets());
    body.put("versions", incident.versions());
    body.put("approvers", incident.approvers());
    body.put("validations", incident.validations());
    body.put("followUps", incident.followUps());
    body.put("failure", incident.failure());
    body.put(
        "nextRotationDue",
        incident.nextRotation() == null ? null : text(incident.nextRotation().dueAt()));
    body.put("sentAt", sentAt.toString());
    return write(body);
  }

  static byte[] ticket(Incident incident, Instant sentAt) {
    NextRotationTicket ticket = incident.nextRotation();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "ticket");
    body.put("id", ticketId(incident));
    body.put("rotationId", incident.rotationId());
    body.put(
        "title",
        "Routine rotation of "
            + String.join(", ", ticket.secrets())
            + " due "
            + text(ticket.dueAt()));
    body.put("dueAt", text(ticket.dueAt()));
    body.put("secrets", ticket.secrets());
    body.put("tasks", ticket.tasks());
    body.put("sentAt", sentAt.toString());
    return write(body);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static byte[] write(Map<String, Object> body) {
    try {
      return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tracker payload of strings does not serialise", e);
    }
  }
}
