package io.breakglass.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardTimesTest {

  @Test
  void ofHistories_timesEachShardFromScheduledToCompleted_acrossRuns_andIgnoresOtherActivities() {
    RotationHistories.Run first =
        run(
            scheduled(1, "ReencryptShard", 0),
            scheduled(2, "ReencryptShard", 100),
            completed(5, 1, 2_100),
            scheduled(6, "ReencryptShard", 2_150),
            completed(7, 2, 3_100),
            // a scan is not a shard: neither its time nor its end counts
            scheduled(8, "Scan", 3_200),
            completed(9, 6, 4_150),
            completed(10, 8, 9_000));
    RotationHistories.Run continued =
        run(scheduled(1, "ReencryptShard", 4_200), completed(4, 1, 6_200));

    ShardTimes times = ShardTimes.of(List.of(first, continued), 2);

    assertThat(times.shards())
        .containsExactly(
            Duration.ofMillis(2_100),
            Duration.ofMillis(3_000),
            Duration.ofMillis(2_000),
            Duration.ofMillis(2_000));
    assertThat(times.wall()).isEqualTo(Duration.ofMillis(6_200));
    assertThat(times.busy()).isEqualTo(Duration.ofMillis(4_550));
    assertThat(times.beyond()).isEqualTo(Duration.ofMillis(1_650));
    assertThat(times.line("workflow, 1 worker (round 1)"))
        .contains(
            "4, median 2.10 s (2.00 to 3.00), 2 at a time: 4.55 s of their own, 1.65 s beyond");
  }

  @Test
  void aRunWithNoShard_saysSo() {
    ShardTimes times = ShardTimes.of(List.of(run(scheduled(1, "Scan", 0))), 2);

    assertThat(times.shards()).isEmpty();
    assertThat(times.line("workflow")).endsWith("none");
  }

  private static RotationHistories.Run run(HistoryEvent... events) {
    HistoryEvent started =
        event(0, 0, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
            .setWorkflowExecutionStartedEventAttributes(
                WorkflowExecutionStartedEventAttributes.newBuilder())
            .build();
    return new RotationHistories.Run(
        "run",
        new WorkflowExecutionHistory(
            History.newBuilder().addEvents(started).addAllEvents(List.of(events)).build()));
  }

  private static HistoryEvent scheduled(long id, String type, long millis) {
    return event(id, millis, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .setActivityTaskScheduledEventAttributes(
            ActivityTaskScheduledEventAttributes.newBuilder()
                .setActivityType(ActivityType.newBuilder().setName(type)))
        .build();
  }

  private static HistoryEvent completed(long id, long scheduledId, long millis) {
    return event(id, millis, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
        .setActivityTaskCompletedEventAttributes(
            ActivityTaskCompletedEventAttributes.newBuilder().setScheduledEventId(scheduledId))
        .build();
  }

  private static HistoryEvent.Builder event(long id, long millis, EventType type) {
    return HistoryEvent.newBuilder().setEventId(id).setEventTime(at(millis)).setEventType(type);
  }

  private static Timestamp at(long millis) {
    long base = 1_800_000_000L;
    return Timestamp.newBuilder()
        .setSeconds(base + millis / 1_000)
        .setNanos((int) (millis % 1_000) * 1_000_000)
        .build();
  }
}
