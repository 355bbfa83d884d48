package io.breakglass.workflows;

import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.TimelineEntry;
import io.breakglass.workflows.messages.values.TimelineOutcome;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The incident timeline as the workflow builds it: phase runs and events, in workflow time, with
 * a record of which entries still need to reach the audit store.
 */
final class Timeline {

  private final List<TimelineEntry> entries = new ArrayList<>();
  private final TreeSet<Integer> unsaved = new TreeSet<>();

  /** Starts a phase run by the workflow itself; returns its position for {@link #end}. */
  int start(Phase phase, String detail) {
    return add(phase, TimelineOutcome.RUNNING, TimelineEntry.SYSTEM_ACTOR, null, detail);
  }

  /** Ends the entry at {@code seq}, and reports how long its phase ran. */
  void end(int seq, TimelineOutcome outcome, String detail) {
    TimelineEntry entry = entries.get(seq - 1);
    RotationMetrics.phaseEnded(entry.phase(), entry.startedAt());
    entries.set(seq - 1, entry.end(now(), outcome, detail == null ? entry.detail() : detail));
    unsaved.add(seq);
  }

  /** Records an instantaneous event. */
  void event(Phase phase, TimelineOutcome outcome, String actor, String detail) {
    add(phase, outcome, actor, now(), detail);
  }

  /** Entries changed since the last {@link #markSaved}. */
  List<TimelineEntry> unsaved() {
    List<TimelineEntry> batch = new ArrayList<>();
    for (int seq : unsaved) {
      batch.add(entries.get(seq - 1));
    }
    return batch;
  }

  void markSaved(List<TimelineEntry> saved) {
    for (TimelineEntry entry : saved) {
      if (entries.get(entry.seq() - 1).equals(entry)) {
        unsaved.remove(entry.seq());
      }
    }
  }

  List<TimelineEntry> entries() {
    return List.copyOf(entries);
  }

  private int add(
      Phase phase, TimelineOutcome outcome, String actor, Instant endedAt, String detail) {
    int seq = entries.size() + 1;
    entries.add(new TimelineEntry(seq, phase, outcome, actor, now(), endedAt, detail));
    unsaved.add(seq);
    return seq;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
