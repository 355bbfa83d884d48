package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Path log = temp.resolve("bench.log");
    Path tmpdir = Files.createDirectories(temp.resolve("tmp"));
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + tmpdir,
                    "-jar",
                    Path.of("target", "breakglass-dev.jar").toString(),
                    "bench",
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
                    "500"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("bench did not finish: " + Files.readString(log));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    List<String> lines = output.lines().toList();

    assertThat(process.exitValue()).as(output).isZero();
    JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(
            List.of(
                "engine_vs_ceiling",
                "workflow_vs_ceiling",
                "engine_vs_naive",
                "files_engine_vs_ceiling",
                "s3_engine_vs_ceiling",
                "max_heap_mb"))
        .allSatisfy(key -> assertThat(last.has(key)).as(key).isTrue());
    assertThat(last.get("verified").asBoolean()).isTrue();
    assertThat(output).doesNotContain("WARN");
    try (Stream<Path> left = Files.list(tmpdir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith("breakglass-bench-"));
    }
  }
}
