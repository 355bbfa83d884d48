package io.breakglass.worker.dev;

import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.TimelineEntry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Prints a rotation's incident timeline and summary for a terminal. */
final class DemoReport {

  private DemoReport() {}

  /**
   * The timeline, then the summary: items re-encrypted, the new versions, the verdicts of
   * SMOKE_TEST (with how many of the {@code httpChecksConfigured} smoke checks passed) and of
   * METRIC_WATCH, and the time per phase.
   */
  static void print(
      RotationStatus status, int httpChecksPassed, int httpChecksConfigured, PrintStream out) {
    out.println();
    out.println(
        "incident timeline of rotation " + status.rotationId() + " (" + status.state() + ")");
    out.printf(
        "  %-3s %-15s %-10s %-16s %9s  %s%n", "#", "phase", "outcome", "actor", "took", "detail");
    Map<Phase, Duration> perPhase = new EnumMap<>(Phase.class);
    for (TimelineEntry entry : status.timeline()) {
      Duration took =
          entry.endedAt() == null
              ? Duration.ZERO
              : Duration.between(entry.startedAt(), entry.endedAt());
      if (entry.actor().equals(TimelineEntry.SYSTEM_ACTOR)) {
        perPhase.merge(entry.phase(), took, Duration::plus);
      }
      out.printf(
          "  %-3d %-15s %-10s %-16s %9s  %s%n",
          entry.seq(),
          entry.phase(),
          entry.outcome(),
          entry.actor(),
          format(took),
          entry.detail() == null ? "" : entry.detail());
    }
    out.println();
    out.println("summary");
    long reencrypted =
        status.progress().stream().mapToLong(DataSetProgress::itemsReencrypted).sum();
    out.println("  items re-encrypted: " + reencrypted);
    for (DataSetProgress p : status.progress()) {
      out.printf(
          "    %-16s %d of %d item(s) under %s (%d re-encrypted), %d of %d shard(s)%n",
          p.dataSet(),
          p.itemsUnderTarget(),
          p.itemsPlanned(),
          p.targetKeyId(),
          p.itemsReencrypted(),
          p.shardsDone(),
          p.shardsTotal());
    }
    status
        .versions()
        .forEach(
            v ->
                out.println(
                    "  " + v.secret() + ": " + v.replacedVersionId() + " -> " + v.versionId()));
    printVerdict(status, Phase.SMOKE_TEST, out);
    out.printf(
        "  %-15s smoke checks passed: %d of %d configured%n",
        "", httpChecksPassed, httpChecksConfigured);
    printVerdict(status, Phase.METRIC_WATCH, out);
    out.println("  time per phase:");
    perPhase.forEach((phase, took) -> out.printf("    %-15s %9s%n", phase, format(took)));
  }

  /**
   * The line that opened {@code phase} in the timeline (its verdict and detail), if the rotation
   * got there. The entries after it within the phase are its events (METRIC_WATCH's measurements).
   */
  static Optional<TimelineEntry> verdict(RotationStatus status, Phase phase) {
    return status.timeline().stream()
        .filter(entry -> entry.phase() == phase && entry.actor().equals(TimelineEntry.SYSTEM_ACTOR))
        .findFirst();
  }

  private static void printVerdict(RotationStatus status, Phase phase, PrintStream out) {
    verdict(status, phase)
        .ifPresentOrElse(
            entry ->
                out.printf(
                    "  %-15s %-10s %s%n",
                    phase, entry.outcome(), entry.detail() == null ? "" : entry.detail()),
            () -> out.printf("  %-15s %s%n", phase, "not reached"));
  }

  private static String format(Duration took) {
    return String.format("%d.%03ds", took.toSeconds(), took.toMillisPart());
  }
}
