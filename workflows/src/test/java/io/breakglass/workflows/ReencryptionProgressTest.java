package io.breakglass.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.messages.commands.DataSetJob;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.values.DataSetPlan;
import io.breakglass.workflows.messages.values.DataSetRun;
import io.breakglass.workflows.messages.values.DataSetType;
import io.breakglass.workflows.messages.values.ShardLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A data set's figures at the end are its child's result: a report that trails the result (two
 * shards finishing together, the signal of the first still in flight when the child returns)
 * changes nothing, and a new child for the same data set (a rollback's) reports afresh.
 */
class ReencryptionProgressTest {

  private static final DataSetPlan PLAN =
      new DataSetPlan(
          "ai-snapshots",
          "ai-payload-encryption-key",
          DataSetType.POSTGRES_COLUMN,
          500,
          ShardLayout.keyRanges(10, 1, 50),
          2,
          0,
          Duration.ofSeconds(20));
  private static final DataSetJob FORWARD = job("v2");
  private static final DataSetRun NINE_SHARDS = run(9, 450);
  private static final DataSetRun ALL_SHARDS = run(10, 500);

  @Test
  void aReportTrailingTheChildsResult_leavesTheResultsFigures() {
    ReencryptionProgress progress = new ReencryptionProgress();
    progress.start(FORWARD);
    progress.report(report(FORWARD, NINE_SHARDS));

    progress.finish(FORWARD, ALL_SHARDS, Duration.ofSeconds(10));
    progress.report(report(FORWARD, NINE_SHARDS));

    assertThat(progress.all())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.shardsDone()).isEqualTo(10);
              assertThat(p.itemsDone()).isEqualTo(500);
              assertThat(p.itemsReencrypted()).isEqualTo(500);
              assertThat(p.remaining()).isEqualTo(Duration.ZERO);
              assertThat(p.itemsPerSecond()).isEqualTo(50);
            });
  }

  @Test
  void withoutTheResult_theLastReportIsWhatShows_theCaseTheResultIsThereFor() {
    ReencryptionProgress progress = new ReencryptionProgress();
    progress.start(FORWARD);
    progress.report(report(FORWARD, NINE_SHARDS));

    assertThat(progress.all())
        .as("negative control: the figures the result corrects")
        .singleElement()
        .satisfies(p -> assertThat(p.shardsDone()).isEqualTo(9));
  }

  @Test
  void aNewChildForTheSameDataSet_startsFromNothing_andItsReportsCount() {
    ReencryptionProgress progress = new ReencryptionProgress();
    progress.start(FORWARD);
    progress.finish(FORWARD, ALL_SHARDS, Duration.ofSeconds(10));
    DataSetJob back = job("v1");

    progress.start(back);
    List<DataSetProgress> started = progress.all();
    progress.report(report(back, run(3, 150)));

    assertThat(started)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.targetKeyId()).isEqualTo("ai-payload-encryption-key:v1");
              assertThat(p.shardsDone()).isZero();
              assertThat(p.remaining()).isNull();
            });
    assertThat(progress.all())
        .singleElement()
        .satisfies(p -> assertThat(p.shardsDone()).isEqualTo(3));
  }

  private static DataSetJob job(String target) {
    return new DataSetJob(
        "r-1",
        "rotation-r-1",
        PLAN,
        target,
        List.of(),
        0,
        DataSetRun.start(PLAN.name()),
        Instant.parse("2026-12-03T10:00:00Z"));
  }

  private static DataSetRun run(int shards, long items) {
    return new DataSetRun(PLAN.name(), shards, items, items, items, 0, List.of("w1"));
  }

  private static DataSetProgress report(DataSetJob job, DataSetRun run) {
    return DataSetProgress.of(
        job.dataSet(), job.targetVersionId(), run, Duration.ofSeconds(9), false);
  }
}
