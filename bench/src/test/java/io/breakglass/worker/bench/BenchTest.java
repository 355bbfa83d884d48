package io.breakglass.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.crypto.EnvelopeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    LastVersionCheck check = new LastVersionCheck(data);
    assertThat(check.rows()).isEqualTo(2_000);
    assertThat(check.files()).isEqualTo(40);

    damageOneArtifact();
    assertThatThrownBy(check::files)
        .as("negative control: the check can fail")
        .isInstanceOf(EnvelopeException.class);
  }

  private void damageOneArtifact() throws IOException {
    try (Stream<Path> files = Files.walk(data.resolve("artifacts"))) {
      Path victim = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(victim);
      bytes[bytes.length - 1] ^= 1;
      Files.write(victim, bytes);
    }
  }
}
