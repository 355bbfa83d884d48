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
 * The incident timeline as the workflow builds it: phase runs and events, in workflow time, with a
 * record of which entries still need to reach the audit store.
 */
final class Timeline {

  private final List<TimelineEntry> entries = new ArrayList<>();
  private final TreeSet<Integer> unsaved = new TreeSet<>();

  /** The last position of a stored timeline this one continues; 0 for a timeline of its own. */
  private int base;

  /** Starts a phase run by the workflow itself; returns its position for {@link #end}. */
  int start(Phase phase, String detail) {
    return add(phase, TimelineOutcome.RUNNING, TimelineEntry.SYSTEM_ACTOR, null, detail);
  }

  /** Ends the entry at {@code seq}, and reports how long its phase ran. */
  void end(int seq, TimelineOutcome outcome, String detail) {
    TimelineEntry entry = entries.get(seq - base - 1);
    RotationMetrics.phaseEnded(entry.phase(), entry.startedAt());
    entries.set(
        seq - base - 1, entry.end(now(), outcome, detail == null ? entry.detail() : detail));
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
      batch.add(entries.get(seq - base - 1));
    }
    return batch;
  }

  void markSaved(List<TimelineEntry> saved) {
    for (TimelineEntry entry : saved) {
      if (entries.get(entry.seq() - base - 1).equals(entry)) {
        unsaved.remove(entry.seq());
      }
    }
  }

  List<TimelineEntry> entries() {
    return List.copyOf(entries);
  }

  /**
   * Makes this timeline continue a stored one that ends at {@code lastSeq}: the entries made so far
   * are renumbered after it, and so is every later one. Call it before anything is saved.
   */
  void continueAfter(int lastSeq) {
    int shift = lastSeq - base;
    base = lastSeq;
    for (int i = 0; i < entries.size(); i++) {
      TimelineEntry e = entries.get(i);
      entries.set(
          i,
          new TimelineEntry(
              e.seq() + shift,
              e.phase(),
              e.outcome(),
              e.actor(),
              e.startedAt(),
              e.endedAt(),
              e.detail()));
    }
    List<Integer> moved = unsaved.stream().map(seq -> seq + shift).toList();
    unsaved.clear();
    unsaved.addAll(moved);
  }

  private int add(
      Phase phase, TimelineOutcome outcome, String actor, Instant endedAt, String detail) {
    int seq = base + entries.size() + 1;
    entries.add(new TimelineEntry(seq, phase, outcome, actor, now(), endedAt, detail));
    unsaved.add(seq);
    return seq;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
