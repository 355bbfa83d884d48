package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's {@code bench} at a tiny size: it completes, cleans up, and ends with JSON. */
class BenchCommandIT {

  @TempDir Path temp;

  @Test
  void bench_exitsZero_endsWithItsJsonLine_andDeletesItsTemporaryDataFolder() throws Exception {
    Run run =
        bench(
            "--rows",
            "2000",
            "--files",
            "40",
            "--file-bytes",
            "4096",
            "--objects",
            "40",
            "--naive-sample",
            "200",
            "--batch",
            "100",
            "--shard",
            "500",
            "--rounds",
            "1");

    assertThat(
            List.of(
                "engine_vs_ceiling",
                "workflow_vs_ceiling",
                "engine_vs_naive",
                "files_engine_vs_ceiling",
                "s3_engine_vs_ceiling",
                "max_heap_mb"))
        .allSatisfy(key -> assertThat(run.json().has(key)).as(key).isTrue());
    assertThat(run.json().get("verified").asBoolean()).isTrue();
    assertThat(run.output())
        .doesNotContain("WARN")
        .contains("rows  engine: 4 shards, 2 at a time (round 1)")
        .as("--rounds 1: one round of each contender")
        .doesNotContain("(round 2)");
    try (Stream<Path> left = Files.list(run.tmpdir())) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith("breakglass-bench-"));
    }
  }

  @Test
  void benchWorkflowOnly_verifiesEveryRow_andEndsWithTheHistoryBudget() throws Exception {
    Run run = bench("--workflow-only", "--rows", "2000", "--batch", "100", "--shard", "500");

    JsonNode last = run.json();
    assertThat(last.get("mode").asText()).isEqualTo("workflow_only");
    assertThat(last.get("verified").asBoolean()).isTrue();
    assertThat(last.has("engine_vs_ceiling")).as("no baselines").isFalse();
    assertThat(last.get("rows").asInt()).isEqualTo(2_000);
    assertThat(last.get("histories").asInt())
        .as("the rotation, its data set's child, the next routine rotation's schedule")
        .isEqualTo(3);
    assertThat(last.get("largest_history_events").asLong())
        .isPositive()
        .isLessThan(last.get("history_events").asLong());
    assertThat(last.get("largest_history_bytes").asLong()).isPositive();
    assertThat(last.get("rows_per_history_event").asDouble())
        .isCloseTo(2_000.0 / last.get("history_events").asLong(), within(0.05));
    assertThat(run.output()).contains("verify ai-snapshots").doesNotContain("WARN");
  }

  @Test
  void benchWithNoRound_exitsNonZero_sayingWhichOptionIsWrong() throws Exception {
    Launch launch = launch("--rounds", "0");

    assertThat(launch.exitCode()).isNotZero();
    assertThat(launch.output()).contains("--rounds must be at least 1, got 0");
  }

  /** What one run of the jar's {@code bench} printed; its JSON line is its last line. */
  private record Run(String output, JsonNode json, Path tmpdir) {}

  private record Launch(int exitCode, String output, Path tmpdir) {}

  /** Runs the packaged jar's {@code bench} with {@code args}; it must exit zero. */
  private Run bench(String... args) throws Exception {
    Launch launch = launch(args);
    assertThat(launch.exitCode()).as(launch.output()).isZero();
    List<String> lines = launch.output().lines().toList();
    return new Run(
        launch.output(), new ObjectMapper().readTree(lines.get(lines.size() - 1)), launch.tmpdir());
  }

  /** Runs the packaged jar's {@code bench} with {@code args}; it must end within 5 min. */
  private Launch launch(String... args) throws Exception {
    Path tmpdir = Files.createDirectories(temp.resolve("tmp"));
    Path log = temp.resolve("bench.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmpdir,
                "-jar",
                Path.of("target", "breakglass-dev.jar").toString(),
                "bench"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("bench did not finish: " + Files.readString(log));
    }
    return new Launch(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), tmpdir);
  }
}
