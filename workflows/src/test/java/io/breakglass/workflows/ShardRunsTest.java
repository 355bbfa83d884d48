package io.breakglass.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.IntBinaryOperator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The shard planner's arithmetic, for data sets of any size up to 10^10 rows and {@code
 * Integer.MAX_VALUE} shards: every run of the re-encryption child stays within Temporal's history
 * limits by construction, whatever the shard count, with room left for the progress reports that
 * grow with time. No workflow runs here: LargePlanTest checks these numbers against real histories.
 */
class ShardRunsTest {

  /** The data set default (DataSetConfig), the size LargePlanTest simulates, and a small one. */
  private static final int[] SHARD_SIZES = {20_000, 5_000, 1_000};

  private static final long[] ROWS = {
    1, 10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L
  };

  private static final Duration AN_HOUR = Duration.ofHours(1);
  private static final Duration TWELVE_HOURS = Duration.ofHours(12);

  @Test
  void runsCoverEveryShardOnce_inOrder_atMostShardsPerRunEach_atEverySize() {
    shardCounts()
        .forEach(
            shards -> {
              long runs =
                  eachRun(
                      shards,
                      ShardRuns::runEnd,
                      (first, end) ->
                          require(
                              end - first <= ReencryptDataSetWorkflow.SHARDS_PER_RUN,
                              "run [%d, %d) of %d is too long",
                              first,
                              end,
                              shards));
              assertThat(runs)
                  .as("runs of %d shards", shards)
                  .isEqualTo(
                      ((long) shards + ReencryptDataSetWorkflow.SHARDS_PER_RUN - 1)
                          / ReencryptDataSetWorkflow.SHARDS_PER_RUN);
            });
  }

  @Test
  void everyRun_staysUnderTheEventWarning_withAnHourOfTimedReports_andUnderTheLimitWithTwelve() {
    shardCounts().forEach(shards -> requireRunsWithin(shards, ShardRuns::runEnd));
  }

  @Test
  void theRunBudget_isTheSumOfItsParts() {
    // 799 shards in one run, reporting every 7: the most events a run without ticks can have.
    assertThat(ShardRuns.maxRunEvents(799, 0, 0)).isEqualTo(6 + 6 * 799 + 10 * (115 + 1));
    // The second run of 5,000 shards: 800 shards, a report every 50.
    assertThat(ShardRuns.maxRunEvents(5_000, 800, 3)).isEqualTo(6 + 6 * 800 + 10 * (3 + 16 + 1));
    assertThat(ShardRuns.maxRunEvents(5_000, 4_800, 0)).isEqualTo(6 + 6 * 200 + 10 * (4 + 1));
  }

  @Test
  void aHundredMillionRows_inDefaultShards_takeSevenRuns_andTheRotationKeepsItsHistoryShort() {
    int shards = shardCount(100_000_000L, 20_000);

    assertThat(shards).isEqualTo(5_000);
    assertThat(eachRun(shards, ShardRuns::runEnd, (first, end) -> {})).isEqualTo(7);
    // The rotation's history: about 600 events of its own (the checked-in histories hold 366 to
    // 603), and what the data set's re-encryption adds, which at the bench's 28,000 rows/s (an
    // hour) is under 2,000 and stays under the warning for a REENCRYPT of up to five hours.
    assertThat(ShardRuns.maxParentEvents(shards, ShardRuns.ticks(AN_HOUR))).isLessThan(2_000);
    assertThat(ShardRuns.maxParentEvents(shards, ShardRuns.ticks(Duration.ofHours(5))))
        .isLessThan(ShardRuns.EVENT_WARNING - 1_000);
  }

  @Test
  void negativeControl_aChildThatNeverContinuedAsNew_wouldBreakTheLimits() {
    IntBinaryOperator oneRun = (first, shardCount) -> shardCount;

    assertThatThrownBy(() -> requireRunsWithin(shardCount(100_000_000L, 20_000), oneRun))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("events in the run of shards [0, 5000) of 5000");
    requireRunsWithin(shardCount(100_000_000L, 20_000), ShardRuns::runEnd);
  }

  /**
   * Every run of {@code shards} as {@code runEnd} cuts them: under the warning with an hour of
   * ten-second reports, under the limit with twelve hours of them, counted from the parts.
   */
  private static void requireRunsWithin(int shards, IntBinaryOperator runEnd) {
    int step = ShardRuns.reportStep(shards);
    long anHour = ShardRuns.EVENTS_PER_REPORT * ShardRuns.ticks(AN_HOUR);
    long twelveHours = ShardRuns.EVENTS_PER_REPORT * ShardRuns.ticks(TWELVE_HOURS);
    eachRun(
        shards,
        runEnd,
        (first, end) -> {
          long stepReports = (end - first + step - 1L) / step + 1;
          long events =
              ShardRuns.EVENTS_PER_RUN
                  + (long) ShardRuns.EVENTS_PER_SHARD * (end - first)
                  + ShardRuns.EVENTS_PER_REPORT * stepReports;
          require(
              events + anHour <= ShardRuns.EVENT_WARNING
                  && events + twelveHours <= ShardRuns.EVENT_LIMIT,
              "%d events in the run of shards [%d, %d) of %d before any timed report",
              events,
              first,
              end,
              shards);
        });
  }

  /** Calls {@code run} with each run's [first, end) in order, checking they tile [0, shards). */
  private static long eachRun(int shards, IntBinaryOperator runEnd, RunConsumer run) {
    long runs = 0;
    int first = 0;
    while (first < shards) {
      int end = runEnd.applyAsInt(first, shards);
      require(
          end > first && end <= shards, "run after shard %d of %d ends at %d", first, shards, end);
      run.accept(first, end);
      first = end;
      runs++;
    }
    return runs;
  }

  /** A plain check: millions of runs are checked, faster than with AssertJ. */
  private static void require(boolean holds, String message, Object... arguments) {
    if (!holds) {
      throw new AssertionError(String.format(message, arguments));
    }
  }

  private interface RunConsumer {
    void accept(int first, int end);
  }

  /** Every count up to 3,000, the sizes of ROWS in every shard size, and the largest possible. */
  private static IntStream shardCounts() {
    IntStream planned =
        LongStream.of(ROWS)
            .flatMap(rows -> IntStream.of(SHARD_SIZES).mapToLong(size -> shardCount(rows, size)))
            .mapToInt(Math::toIntExact);
    return IntStream.concat(
        IntStream.concat(IntStream.rangeClosed(1, 3_000), planned),
        IntStream.of(Integer.MAX_VALUE - 1, Integer.MAX_VALUE));
  }

  /** The tables' planner (PostgresColumnStore.split): ceil(rows / shard size), at least one. */
  private static int shardCount(long rows, int shardSize) {
    return Math.toIntExact(Math.max(1, (rows + shardSize - 1) / shardSize));
  }
}
