package io.breakglass.api.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.worker.ProgressBar;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/rotations/{id}} as lines for a terminal: state, the open gate, what the rotation
 * waits for, a progress bar per data set, compensations, the failure and the timeline. Read from
 * the live status when Temporal still knows the rotation, else from the stored record.
 */
final class StatusView {

  /** States in which the rotation does nothing until a human acts. */
  private static final Set<String> WAITING =
      Set.of("AWAITING_APPROVAL", "AWAITING_RESTART", "AWAITING_DECISION", "HALTED");

  private static final Set<String> ENDED = Set.of("COMPLETED", "ROLLED_BACK", "FAILED");

  private final JsonNode detail;

  StatusView(JsonNode detail) {
    this.detail = detail;
  }

  private JsonNode status() {
    return detail.path("status");
  }

  /** RUNNING, AWAITING_APPROVAL, ..., COMPLETED, ROLLED_BACK or FAILED. */
  String state() {
    String live = status().path("state").asText("");
    return live.isEmpty() ? detail.path("record").path("state").asText("UNKNOWN") : live;
  }

  boolean ended() {
    return ENDED.contains(state());
  }

  boolean endedBadly() {
    return state().equals("ROLLED_BACK") || state().equals("FAILED");
  }

  boolean waitsForAHuman() {
    return WAITING.contains(state());
  }

  /** The open gate's name, or null when no gate is open. */
  String openGate() {
    JsonNode gate = status().path("pendingGate");
    return gate.isObject() ? gate.path("gate").asText() : null;
  }

  /** One line: id, kind, initiator, state and phase. */
  String headline() {
    JsonNode source = status().isObject() ? status() : detail.path("record");
    String phase = status().path("phase").asText("");
    return "rotation "
        + source.path("rotationId").asText()
        + " ("
        + source.path("kind").asText("?")
        + ", started by "
        + source.path("initiator").asText("?")
        + "): "
        + state()
        + (phase.isEmpty() ? "" : " in " + phase);
  }

  /** What the rotation waits for, one line each. */
  List<String> waitingFor() {
    List<String> lines = new ArrayList<>();
    JsonNode gate = status().path("pendingGate");
    if (gate.isObject()) {
      List<String> approvers = new ArrayList<>();
      gate.path("approvals").forEach(a -> approvers.add(a.path("approver").asText()));
      lines.add(
          "gate "
              + gate.path("gate").asText()
              + " is open: "
              + approvers.size()
              + "/"
              + gate.path("required").asInt()
              + " approvals"
              + (approvers.isEmpty() ? "" : " (" + String.join(", ", approvers) + ")")
              + ", times out at "
              + instant(gate.path("deadline")));
    }
    status()
        .path("pendingRestarts")
        .forEach(d -> lines.add("waiting for a confirmed restart of " + d.asText()));
    JsonNode decision = status().path("pendingDecision");
    if (decision.isObject()) {
      List<String> allowed = new ArrayList<>();
      decision.path("allowed").forEach(a -> allowed.add(a.asText()));
      lines.add(
          "waiting for a decision ("
              + String.join(", ", allowed)
              + "): "
              + decision.path("reason").asText());
      decision
          .path("consequences")
          .fields()
          .forEachRemaining(c -> lines.add("  " + c.getKey() + " means: " + c.getValue().asText()));
    }
    return lines;
  }

  /** A progress bar per data set: done/planned, rate and time left. */
  List<String> progress() {
    List<String> lines = new ArrayList<>();
    for (JsonNode p : status().path("progress")) {
      String remaining =
          p.path("remaining").isNull() || p.path("remaining").isMissingNode()
              ? ""
              : ", " + left(p.path("remaining")) + " left";
      lines.add(
          String.format(
              "%-18s %s %d items/s%s, shards %d/%d",
              p.path("dataSet").asText(),
              ProgressBar.render(p.path("itemsDone").asLong(), p.path("itemsPlanned").asLong()),
              p.path("itemsPerSecond").asLong(),
              remaining,
              p.path("shardsDone").asInt(),
              p.path("shardsTotal").asInt()));
    }
    return lines;
  }

  /** Everything: headline, waits, progress, compensations, failure and timeline. */
  List<String> full() {
    List<String> lines = new ArrayList<>();
    lines.add(headline());
    JsonNode secrets =
        status().isObject() ? status().path("secrets") : detail.path("record").path("secrets");
    List<String> names = new ArrayList<>();
    secrets.forEach(s -> names.add(s.asText()));
    lines.add("  secrets: " + String.join(", ", names));
    JsonNode preflight = status().path("preflight");
    if (preflight.isObject()) {
      lines.add(
          "  preflight: "
              + preflight.path("state").asText()
              + ": "
              + preflight.path("reason").asText()
              + (preflight.path("overriddenBy").isEmpty()
                  ? ""
                  : "; overridden by " + preflight.path("overriddenBy")));
    }
    waitingFor().forEach(l -> lines.add("  " + l));
    progress().forEach(l -> lines.add("  " + l));
    for (JsonNode c : status().path("compensations")) {
      lines.add(
          "  compensation "
              + c.path("order").asInt()
              + " ("
              + c.path("phase").asText()
              + ") "
              + c.path("description").asText()
              + ": "
              + c.path("state").asText()
              + (c.path("error").isTextual() ? " — " + c.path("error").asText() : ""));
    }
    for (JsonNode r : status().path("refusals")) {
      lines.add(
          "  refused "
              + r.path("signal").asText()
              + " from "
              + r.path("actor").asText()
              + ": "
              + r.path("reason").asText());
    }
    String failure =
        status().path("failure").asText(detail.path("record").path("failure").asText(""));
    if (!failure.isEmpty() && !failure.equals("null")) {
      lines.add("  failure: " + failure);
    }
    JsonNode timeline = status().path("timeline");
    if (timeline.isEmpty()) {
      timeline = detail.path("storedTimeline");
    }
    lines.add("  timeline:");
    for (JsonNode e : timeline) {
      lines.add(
          String.format(
              "    %3d %-15s %-12s %-16s %s",
              e.path("seq").asInt(),
              e.path("phase").asText(),
              e.path("outcome").asText(),
              e.path("actor").asText(),
              e.path("detail").asText("")));
    }
    return lines;
  }

  /** The API writes instants as epoch seconds (Jackson's default) or ISO-8601 text. */
  private static String instant(JsonNode at) {
    if (at.isNumber()) {
      return Instant.ofEpochMilli(Math.round(at.asDouble() * 1000))
          .truncatedTo(ChronoUnit.SECONDS)
          .toString();
    }
    return at.asText();
  }

  /** "1m05s", "12s": the API sends ISO-8601 durations (PT1M5S). */
  private static String left(JsonNode remaining) {
    try {
      Duration d =
          remaining.isNumber()
              ? Duration.ofMillis((long) (remaining.asDouble() * 1000))
              : Duration.parse(remaining.asText());
      long seconds = Math.max(0, d.toSeconds());
      return seconds >= 60
          ? (seconds / 60) + "m" + String.format("%02d", seconds % 60) + "s"
          : seconds + "s";
    } catch (RuntimeException e) {
      return remaining.asText();
    }
  }
}
