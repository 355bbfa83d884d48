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
 * limits by construction, whatever the shard count and however long it lasts: its reporter waits
 * for a finished shard before it times a report, so reports grow with the shards, not with time. No
 * workflow runs here: LargePlanTest checks these numbers against real histories.
 */
class ShardRunsTest {

  /** The data set default (DataSetConfig), the size LargePlanTest simulates, and a small one. */
  private static final int[] SHARD_SIZES = {20_000, 5_000, 1_000};

  private static final long[] ROWS = {
    1, 10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L
  };

  private static final Duration AN_HOUR = Duration.ofHours(1);
  private static final Duration TWO_DAYS = Duration.ofDays(2);

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
  void everyRun_staysUnderTheLimit_howeverLongItLasts_andUnderTheWarningWithinAnHour() {
    shardCounts()
        .forEach(shards -> requireRunsWithin(shards, ShardRuns::runEnd, REPORTS_PER_SHARD));
  }

  @Test
  void theRunBudget_isTheSumOfItsParts() {
    // 799 shards in one run, reporting every 7: the most events a run without ticks can have.
    assertThat(ShardRuns.maxRunEvents(799, 0, 0)).isEqualTo(7 + 6 * 799 + 10 * (115 + 1));
    // The second run of 5,000 shards: 800 shards, a report every 50.
    assertThat(ShardRuns.maxRunEvents(5_000, 800, 3)).isEqualTo(7 + 6 * 800 + 10 * (3 + 16 + 1));
    assertThat(ShardRuns.maxRunEvents(5_000, 4_800, 0)).isEqualTo(7 + 6 * 200 + 10 * (4 + 1));
    // However long it lasts: a report per shard and the last.
    assertThat(ShardRuns.maxRunEvents(5_000, 0, ShardRuns.HOWEVER_LONG))
        .isEqualTo(7 + 6 * 800 + 10 * (800 + 1));
  }

  @Test
  void aHundredMillionRows_inDefaultShards_takeSevenRuns_andTheRotationKeepsItsHistoryShort() {
    int shards = shardCount(100_000_000L, 20_000);

    assertThat(shards).isEqualTo(5_000);
    assertThat(eachRun(shards, ShardRuns::runEnd, (first, end) -> {})).isEqualTo(7);
    // The rotation's history: about 600 events of its own (the checked-in histories hold 366 to
    // 603), and what the data set's re-encryption adds: under the limit however long it lasts (a
    // report per shard at most), under 2,000 at the bench's 28,000 rows/s (an hour), and under the
    // warning for a REENCRYPT of up to five hours.
    assertThat(ShardRuns.maxParentEvents(shards, ShardRuns.HOWEVER_LONG))
        .isEqualTo(9 + 4 * (5_000 + 7))
        .isLessThan(ShardRuns.EVENT_LIMIT / 2);
    assertThat(ShardRuns.maxParentEvents(shards, ShardRuns.ticks(AN_HOUR))).isLessThan(2_000);
    assertThat(ShardRuns.maxParentEvents(shards, ShardRuns.ticks(Duration.ofHours(5))))
        .isLessThan(ShardRuns.EVENT_WARNING - 1_000);
  }

  @Test
  void negativeControl_aChildThatNeverContinuedAsNew_wouldBreakTheLimits() {
    IntBinaryOperator oneRun = (first, shardCount) -> shardCount;

    assertThatThrownBy(
            () -> requireRunsWithin(shardCount(100_000_000L, 20_000), oneRun, REPORTS_PER_SHARD))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("events in the run of shards [0, 5000) of 5000");
    requireRunsWithin(shardCount(100_000_000L, 20_000), ShardRuns::runEnd, REPORTS_PER_SHARD);
  }

  @Test
  void negativeControl_aReporterTickingWhileNoShardFinishes_wouldBreakTheLimitInALongRun() {
    Reports ticking = (shards, stepReports, ticks) -> ticks + stepReports;

    assertThatThrownBy(() -> requireRunsWithin(800, ShardRuns::runEnd, ticking))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("with two days of ten-second ticks");
  }

  /** The most reports of a run of {@code shards}: a report per shard and the last, at most. */
  private static final Reports REPORTS_PER_SHARD =
      (shards, stepReports, ticks) -> Math.min(shards + 1L, ticks + stepReports);

  /** How many reports a run makes, by its shards, its step reports and its ten-second ticks. */
  private interface Reports {
    long of(int shards, long stepReports, long ticks);
  }

  /**
   * Every run of {@code shards} as {@code runEnd} cuts them, counted from the parts: under the
   * warning within an hour, under the limit with two days of ticks (for reports bounded by the
   * shards, as many as any duration gives).
   */
  private static void requireRunsWithin(int shards, IntBinaryOperator runEnd, Reports reports) {
    int step = ShardRuns.reportStep(shards);
    eachRun(
        shards,
        runEnd,
        (first, end) -> {
          long stepReports = (end - first + step - 1L) / step + 1;
          long own = ShardRuns.EVENTS_PER_RUN + (long) ShardRuns.EVENTS_PER_SHARD * (end - first);
          long anHour =
              own
                  + ShardRuns.EVENTS_PER_REPORT
                      * reports.of(end - first, stepReports, ShardRuns.ticks(AN_HOUR));
          long twoDays =
              own
                  + ShardRuns.EVENTS_PER_REPORT
                      * reports.of(end - first, stepReports, ShardRuns.ticks(TWO_DAYS));
          require(
              anHour <= ShardRuns.EVENT_WARNING,
              "%d events in the run of shards [%d, %d) of %d within an hour",
              anHour,
              first,
              end,
              shards);
          require(
              twoDays <= ShardRuns.EVENT_LIMIT,
              "%d events in the run of shards [%d, %d) of %d with two days of ten-second ticks",
              twoDays,
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
