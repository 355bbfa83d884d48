package io.breakglass.worker.bench;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.HistoryEventOrBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run over a data set spent its time, shard by shard: how long each shard took from the
 * moment it was handed out to its end, and how much of the run's wall-clock time went beyond the
 * shards themselves (handing them out, waiting between them, the slowest finishing alone). The
 * engine and a rotation run the same shard code, so side by side these say whether a rotation lost
 * its time inside the shards or between them.
 *
 * @param shards each shard's time, from start (for a rotation: scheduled) to end
 * @param parallel shards that run at a time
 * @param wall the run's wall-clock time: for a rotation, from its first shard's scheduling to its
 *     last shard's completion; for the engine, its whole timed run
 */
record ShardTimes(List<Duration> shards, int parallel, Duration wall) {

  private static final String SHARD_ACTIVITY = "ReencryptShard";

  ShardTimes {
    shards = List.copyOf(shards);
  }

  /** The shards of one data set's rotation, from the histories of its re-encryption children. */
  static ShardTimes of(List<RotationHistories.Run> runs, int parallel) {
    List<Duration> shards = new ArrayList<>();
    Instant first = null;
    Instant last = null;
    for (RotationHistories.Run run : runs) {
      Map<Long, Instant> scheduled = new HashMap<>();
      for (HistoryEvent event : run.history().getEvents()) {
        if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
            && event
                .getActivityTaskScheduledEventAttributes()
                .getActivityType()
                .getName()
                .equals(SHARD_ACTIVITY)) {
          Instant at = time(event);
          scheduled.put(event.getEventId(), at);
          first = first == null || at.isBefore(first) ? at : first;
        } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
          Instant start =
              scheduled.get(event.getActivityTaskCompletedEventAttributes().getScheduledEventId());
          if (start != null) {
            Instant end = time(event);
            shards.add(Duration.between(start, end));
            last = last == null || end.isAfter(last) ? end : last;
          }
        }
      }
    }
    return new ShardTimes(
        shards, parallel, first == null ? Duration.ZERO : Duration.between(first, last));
  }

  /** The sum of the shards' times divided among the shards that ran at once: the least wall. */
  Duration busy() {
    return shards.stream().reduce(Duration.ZERO, Duration::plus).dividedBy(parallel);
  }

  /** The wall-clock time beyond the shards' own: handing out, waiting, finishing unevenly. */
  Duration beyond() {
    return wall.minus(busy());
  }

  /** One line for the console. */
  String line(String run) {
    if (shards.isEmpty()) {
      return String.format("shards %-55s none", run);
    }
    List<Duration> sorted = new ArrayList<>(shards);
    Collections.sort(sorted);
    return String.format(
        "shards %-55s %d, median %.2f s (%.2f to %.2f), %d at a time: %.2f s of their own,"
            + " %.2f s beyond",
        run,
        shards.size(),
        seconds(sorted.get(sorted.size() / 2)),
        seconds(sorted.get(0)),
        seconds(sorted.get(sorted.size() - 1)),
        parallel,
        seconds(busy()),
        seconds(beyond()));
  }

  private static Instant time(HistoryEventOrBuilder event) {
    return Instant.ofEpochSecond(
        event.getEventTime().getSeconds(), event.getEventTime().getNanos());
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
