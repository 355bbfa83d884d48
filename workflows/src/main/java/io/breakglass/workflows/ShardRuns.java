package io.breakglass.workflows;

import java.time.Duration;

/**
 * How the re-encryption child cuts a data set's shards into runs (it continues as new after each),
 * how often it reports progress, and the most history events that costs: the arithmetic that keeps
 * a rotation of any size within Temporal's history limits (docs/architecture.md, history budget).
 *
 * <p>A run's events: {@value #EVENTS_PER_RUN} of its own, at most {@value #EVENTS_PER_SHARD} per
 * shard and at most {@value #EVENTS_PER_REPORT} per progress report. The reporter starts its timer
 * only once a shard has finished since its last report, so a run reports at most once per shard and
 * once more at its end, however long it lasts: every bound here holds by construction. A run that
 * is quick reports less: once per hundredth of its shards, and once per {@link #REPORT_EVERY} at
 * most besides.
 */
public final class ShardRuns {

  /** As a number of ten-second ticks: a run or phase of any duration. */
  public static final long HOWEVER_LONG = Long.MAX_VALUE;

  /** Temporal warns about a history longer than this. */
  public static final int EVENT_WARNING = 10_240;

  /** Temporal ends a workflow whose history grows longer than this. */
  public static final int EVENT_LIMIT = 51_200;

  /** The longest a run waits to report progress when shards have finished since its last report. */
  public static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  /**
   * WorkflowExecutionStarted, its first workflow task (scheduled, started, completed), the two
   * version markers of its reporter, and its last event (completed, failed, or continued as new).
   */
  public static final int EVENTS_PER_RUN = 7;

  /**
   * The shard's ActivityTaskScheduled, Started and Completed (or Failed: retries write no events),
   * and the workflow task its completion wakes, when no other event shares it.
   */
  public static final int EVENTS_PER_SHARD = 6;

  /**
   * One turn of the reporter: its TimerStarted and TimerFired (or TimerCanceled), the workflow task
   * the timer wakes, the SignalExternalWorkflowExecutionInitiated and ExternalWorkflowExecution
   * Signaled of the report, and the workflow task that wakes.
   */
  public static final int EVENTS_PER_REPORT = 10;

  /**
   * What a report adds to the rotation's own history: WorkflowExecutionSignaled and the workflow
   * task it wakes.
   */
  public static final int PARENT_EVENTS_PER_REPORT = 4;

  /**
   * The child in the rotation's history: StartChildWorkflowExecutionInitiated, ChildWorkflow
   * ExecutionStarted and Completed, and the workflow tasks of the last two.
   */
  public static final int PARENT_EVENTS_PER_CHILD = 9;

  private ShardRuns() {}

  /** Where the run that starts at {@code firstShard} stops: its shards are [first, end). */
  public static int runEnd(int firstShard, int shardCount) {
    return (int) Math.min(shardCount, (long) firstShard + ReencryptDataSetWorkflow.SHARDS_PER_RUN);
  }

  /** The child reports progress whenever this many more shards have finished: a hundredth. */
  public static int reportStep(int shardCount) {
    return Math.max(1, shardCount / 100);
  }

  /** Ten-second reports a run or phase of {@code duration} can make at most. */
  public static long ticks(Duration duration) {
    return duration.toMillis() / REPORT_EVERY.toMillis();
  }

  /**
   * Reports the run of {@code [firstShard, runEnd)} makes at most at every {@link #reportStep}
   * shards, and the last when the run is over.
   */
  public static long stepReports(int shardCount, int firstShard) {
    int shards = runEnd(firstShard, shardCount) - firstShard;
    int step = reportStep(shardCount);
    return (shards + step - 1) / step + 1;
  }

  /**
   * The most reports of the run that starts at {@code firstShard}: one per shard and the last,
   * whatever its duration; fewer when it lasts only {@code ticks} ten-second turns.
   */
  public static long maxRunReports(int shardCount, int firstShard, long ticks) {
    long shards = runEnd(firstShard, shardCount) - (long) firstShard;
    return Math.min(shards + 1, atMost(ticks, stepReports(shardCount, firstShard)));
  }

  /**
   * The most events in the history of the run of the child that starts at {@code firstShard}, when
   * it lasts {@code ticks} ten-second turns ({@link #HOWEVER_LONG} for any).
   */
  public static long maxRunEvents(int shardCount, int firstShard, long ticks) {
    long shards = runEnd(firstShard, shardCount) - (long) firstShard;
    return EVENTS_PER_RUN
        + EVENTS_PER_SHARD * shards
        + EVENTS_PER_REPORT * maxRunReports(shardCount, firstShard, ticks);
  }

  /**
   * The most events one data set of {@code shardCount} shards adds to the rotation's history when
   * its re-encryption lasts {@code ticks} ten-second turns ({@link #HOWEVER_LONG} for any).
   */
  public static long maxParentEvents(int shardCount, long ticks) {
    long perShard = 0;
    long steps = 0;
    for (int first = 0; first < shardCount; first = runEnd(first, shardCount)) {
      perShard += runEnd(first, shardCount) - first + 1;
      steps += stepReports(shardCount, first);
    }
    long reports = Math.min(perShard, atMost(ticks, steps));
    return PARENT_EVENTS_PER_CHILD + PARENT_EVENTS_PER_REPORT * reports;
  }

  /** Timed reports plus step reports, {@link #HOWEVER_LONG} when there is no time bound. */
  private static long atMost(long ticks, long stepReports) {
    return ticks > Long.MAX_VALUE - stepReports ? Long.MAX_VALUE : ticks + stepReports;
  }
}
