package io.breakglass.workflows.messages.values;

import java.time.Instant;

/**
 * One line of the incident timeline: a phase (start, end, outcome) or an event within it (an
 * approval, a halt, a compensation). Times are workflow time, so they replay identically.
 *
 * @param seq position in the timeline, from 1
 * @param phase the phase the entry belongs to
 * @param outcome what happened
 * @param actor who did it: {@code breakglass} for the workflow itself, else the operator's name
 * @param startedAt when it began
 * @param endedAt when it ended; null while it is running
 * @param detail one line for humans; ids and counts only, never secret material
 */
public record TimelineEntry(
    int seq,
    Phase phase,
    TimelineOutcome outcome,
    String actor,
    Instant startedAt,
    Instant endedAt,
    String detail) {

  /** The actor name the workflow uses for its own steps. */
  public static final String SYSTEM_ACTOR = "breakglass";

  /** This entry, ended at {@code at} with {@code newOutcome} and {@code newDetail}. */
  public TimelineEntry end(Instant at, TimelineOutcome newOutcome, String newDetail) {
    return new TimelineEntry(seq, phase, newOutcome, actor, startedAt, at, newDetail);
  }
}
