package io.breakglass.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.worker.embedded.EmbeddedDatabase;
import io.breakglass.workflows.ShardRuns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's whole code path at a tiny size. Speed is the command's business, never a test's. */
class BenchTest {

  private static final List<String> REQUIRED_KEYS =
      List.of(
          "engine_vs_ceiling",
          "workflow_vs_ceiling",
          "workflow_1_worker_vs_ceiling",
          "workflow_2_workers_vs_ceiling",
          "engine_vs_naive",
          "files_engine_vs_ceiling",
          "max_heap_mb",
          "naive_rows_per_s",
          "ceiling_rows_per_s",
          "engine_rows_per_s",
          "workflow_1_worker_rows_per_s",
          "workflow_2_workers_rows_per_s",
          "files_ceiling_1_thread_per_s",
          "files_ceiling_2_threads_per_s",
          "files_engine_per_s",
          "best_ceiling",
          "best_ceiling_rows_per_s",
          "workflow_vs_best_ceiling",
          "workflow_vs_batched_ceiling",
          "engine_vs_batched_ceiling",
          "batched_ceiling_rows_per_s",
          "unnest_1_thread_rows_per_s",
          "unnest_2_threads_rows_per_s",
          "copy_rows_per_s",
          "s3_engine_vs_ceiling",
          "s3_ceiling_1_thread_per_s",
          "s3_ceiling_2_threads_per_s",
          "s3_engine_per_s");

  @TempDir Path data;

  @Test
  void aTinyBench_runsEveryWay_leavesEveryItemUnderTheLastVersion_andEndsWithItsJsonLine()
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    BenchOptions tiny = new BenchOptions(2_000, 2_048, 40, 4_096, 30, 200, 100, 500, data);

    BenchReport report =
        new Bench(tiny, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(REQUIRED_KEYS).allSatisfy(key -> assertThat(last.has(key)).as(key).isTrue());
    assertThat(last.get("verified").asBoolean()).isTrue();
    assertThat(last.get("rows").asInt()).isEqualTo(2_000);
    long best =
        Stream.of(RowBaseline.values())
            .mapToLong(baseline -> last.get(baseline.key() + "_rows_per_s").asLong())
            .max()
            .orElseThrow();
    assertThat(last.get("best_ceiling_rows_per_s").asLong()).isEqualTo(best);
    assertThat(last.get(last.get("best_ceiling").asText() + "_rows_per_s").asLong())
        .isEqualTo(best);
    assertThat(last.get("ceiling_rows_per_s").asLong()).isEqualTo(best);
    assertThat(last.get("workflow_vs_best_ceiling").asDouble())
        .isEqualTo(last.get("workflow_vs_ceiling").asDouble());
    assertThat(report.workflowVsBatchedCeiling())
        .isGreaterThanOrEqualTo(report.workflowVsCeiling());
    assertThat(last.get("objects").asInt()).isEqualTo(30);
    assertThat(report.verified()).isTrue();
    assertThat(lines)
        .anyMatch(line -> line.startsWith("rows  naive"))
        .anyMatch(line -> line.startsWith("rows  batched: JDBC batches of UPDATEs, 2 threads"))
        .anyMatch(line -> line.startsWith("rows  unnest: UPDATE FROM unnest, 1 thread "))
        .anyMatch(line -> line.startsWith("rows  unnest: UPDATE FROM unnest, 2 threads"))
        .anyMatch(line -> line.startsWith("rows  copy: COPY TO reads, unnest writes, 2 threads"))
        .anyMatch(line -> line.startsWith("ceiling ") && line.contains("the best baseline: "))
        .anyMatch(line -> line.startsWith("workflow vs best ceiling"))
        .anyMatch(line -> line.startsWith("workflow vs batched"))
        .anyMatch(line -> line.startsWith("rows  engine"))
        .anyMatch(line -> line.startsWith("rows  workflow, 1 worker "))
        .anyMatch(line -> line.startsWith("rows  workflow, 2 workers"))
        .anyMatch(
            line ->
                line.matches("shards engine: 4 shards, 2 at a time \\(round 3\\) +4, median .*"))
        .anyMatch(line -> line.matches("shards workflow, 1 worker \\(round 3\\) +4, median .*"))
        .anyMatch(line -> line.matches("shards workflow, 2 workers \\(round 3\\) +4, median .*"))
        .anyMatch(line -> line.startsWith("files ceiling: file loop, 2 threads"))
        .anyMatch(line -> line.startsWith("files engine"))
        .anyMatch(line -> line.startsWith("s3    ceiling: S3 loop, 1 thread "))
        .anyMatch(line -> line.startsWith("s3    ceiling: S3 loop, 2 threads"))
        .anyMatch(line -> line.startsWith("s3    engine"))
        .anyMatch(
            line ->
                line.startsWith(
                    "verify chart-objects    30 items of 30, 30 under the last version, 0 under"
                        + " others, 0 undecryptable"));
    assertThat(lines.indexOf(line(lines, "rows  workflow, 2 workers (round 1)")))
        .as("every round rotates between the direct runs: drift weighs on every contender alike")
        .isLessThan(
            lines.indexOf(
                line(lines, "rows  batched: JDBC batches of UPDATEs, 2 threads (round 2)")));
    LastVersionCheck check = new LastVersionCheck(data);
    assertThat(check.rows()).isEqualTo(2_000);
    assertThat(check.files()).isEqualTo(40);

    damageOneArtifact();
    assertThatThrownBy(check::files)
        .as("negative control: the check can fail")
        .isInstanceOf(EnvelopeException.class);
  }

  @Test
  void workflowOnly_rotatesEveryRowThroughAChildThatContinuesAsNew_andReportsItsHistoryBudget()
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    // One-row shards: 810 of them, so the child runs twice (800 shards, then 10).
    BenchOptions tiny = new BenchOptions(810, 2_048, 1, 1, 1, 1, 100, 1, 1, data, true);

    WorkflowOnlyReport report =
        new WorkflowOnlyBench(tiny, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(last.get("mode").asText()).isEqualTo("workflow_only");
    assertThat(last.get("verified").asBoolean()).isTrue();
    assertThat(last.get("rows").asInt()).isEqualTo(810);
    assertThat(last.has("ceiling_rows_per_s")).as("no baseline runs").isFalse();
    assertThat(lines)
        .anyMatch(line -> line.startsWith("rows  workflow, 1 worker"))
        .anyMatch(line -> line.startsWith("backup"))
        .as("every shard timed, those of the child's second run too")
        .anyMatch(line -> line.startsWith("shards workflow, 1 worker") && line.contains(" 810, "))
        .noneMatch(line -> line.startsWith("rows  ceiling"));
    HistoryBudget history = report.history();
    assertThat(history.histories())
        .as("the rotation's, the child's two runs, the next routine rotation's schedule")
        .isEqualTo(4);
    assertThat(history.largest()).contains("-reencrypt-");
    assertThat(history.largestEvents())
        .isGreaterThan(800)
        .isLessThan(history.events() - 100)
        .isLessThan(ShardRuns.EVENT_WARNING);
    assertThat(last.get("history_events").asLong()).isEqualTo(history.events());
    assertThat(last.get("largest_history_events").asLong()).isEqualTo(history.largestEvents());
    assertThat(last.get("largest_history_bytes").asLong()).isGreaterThan(history.largestEvents());
    assertThat(last.get("rows_per_history_event").asDouble())
        .isCloseTo(810.0 / history.events(), within(0.05));
    assertThat(last.get("max_heap_after_gc_mb").asLong()).isPositive();
    LastVersionCheck check = new LastVersionCheck(data);
    assertThat(check.rows()).isEqualTo(810);

    copyPayload(2, 1);
    assertThatThrownBy(check::rows)
        .as("negative control: a row holding another row's envelope fails the check")
        .isInstanceOf(EnvelopeException.class);
  }

  /** Row {@code to} gets row {@code from}'s envelope: under the last version, bound elsewhere. */
  private void copyPayload(long from, long to) throws SQLException {
    try (EmbeddedDatabase database = EmbeddedDatabase.start(new DevLayout(data).postgres());
        Connection connection =
            DriverManager.getConnection(database.jdbcUrl(DevSettings.APP_DATABASE));
        Statement update = connection.createStatement()) {
      assertThat(
              update.executeUpdate(
                  "UPDATE ai_json_snapshots SET payload = (SELECT payload FROM ai_json_snapshots"
                      + " WHERE id = "
                      + from
                      + ") WHERE id = "
                      + to))
          .isEqualTo(1);
    }
  }

  private void damageOneArtifact() throws IOException {
    try (Stream<Path> files = Files.walk(data.resolve("artifacts"))) {
      Path victim = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(victim);
      bytes[bytes.length - 1] ^= 1;
      Files.write(victim, bytes);
    }
  }

  private static String line(List<String> lines, String prefix) {
    return lines.stream().filter(line -> line.startsWith(prefix)).findFirst().orElseThrow();
  }
}
