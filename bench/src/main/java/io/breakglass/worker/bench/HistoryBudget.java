package io.breakglass.worker.bench;

import java.util.List;

/**
 * What a rotation wrote into Temporal ({@link RotationHistories}): its histories, their events, and
 * the largest single history, which is what Temporal's per-history limits apply to.
 *
 * @param rows rows the rotation re-encrypted
 * @param histories histories read (one per workflow run)
 * @param events events in all of them
 * @param largestEvents events in the longest history
 * @param largestBytes serialized size of the largest history
 * @param largest which workflow run the longest history is
 */
record HistoryBudget(
    long rows, int histories, long events, long largestEvents, long largestBytes, String largest) {

  /** Rows re-encrypted per history event of the whole rotation. */
  double rowsPerEvent() {
    return events == 0 ? 0 : (double) rows / events;
  }

  /** The budget of the histories {@code runs} of a rotation that re-encrypted {@code rows}. */
  static HistoryBudget of(List<RotationHistories.Run> runs, long rows) {
    long events = 0;
    long largestEvents = 0;
    long largestBytes = 0;
    String largest = "";
    for (RotationHistories.Run run : runs) {
      int size = run.history().getEvents().size();
      events += size;
      largestBytes = Math.max(largestBytes, run.history().getHistory().getSerializedSize());
      if (size > largestEvents) {
        largestEvents = size;
        largest = run.name();
      }
    }
    return new HistoryBudget(rows, runs.size(), events, largestEvents, largestBytes, largest);
  }
}
