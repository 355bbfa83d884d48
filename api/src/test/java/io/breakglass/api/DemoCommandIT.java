package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.worker.embedded.TemporalCli;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick start's first command: the packaged jar's {@code demo}, as a newcomer runs it. */
class DemoCommandIT {

  @TempDir Path data;

  @Test
  void demo_exitsZeroOnAFreshFolder_andAgain_andNonZeroWhenAnArtifactIsDamaged() throws Exception {
    Run first = demo();
    assertThat(first.exit()).as(first.output()).isZero();
    Run again = demo();
    damageOneArtifact(data.resolve("artifacts"));
    Run damaged = demo();

    assertThat(first.output())
        .contains("seeded synthetic data: 20000 ai_json_snapshots rows, 500 chart artifacts")
        .contains("[14/14] CLOSE")
        .contains("items re-encrypted: 20500")
        .contains("DEMO PASSED");
    if (TemporalCli.find().isPresent()) {
      assertThat(first.output())
          .contains("Watch it in the Temporal Web UI: http://127.0.0.1:")
          .containsPattern("in the Temporal Web UI: http://127\\.0\\.0\\.1:\\d+/namespaces/default/workflows/rotation-demo-");
    } else {
      assertThat(first.output()).contains(TemporalCli.MISSING);
    }
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(again.output()).doesNotContain("seeded synthetic data").contains("DEMO PASSED");
    assertThat(damaged.exit()).as("negative control").isEqualTo(1);
    assertThat(damaged.output()).contains("demo failed: ");
  }

  @Test
  void demoWithTheSampleService_exitsZero_andReportsItsChecksAndItsTrafficWithoutAFailure() throws Exception {
    Run run = demo("--sample-service");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("sample service (the backend deployment, RELOAD_ENDPOINT; smoke checks against it): http://127.0.0.1:")
        .contains("backend reloaded its keyring")
        .contains("12 check(s) passed")
        .contains("smoke jwt session: passed")
        .contains("smoke read canary snapshot: passed")
        .containsPattern("sample service during the rotation: [1-9]\\d* writes, [1-9]\\d* reads, 0 failed writes, 0 failed reads")
        .containsPattern("items re-encrypted: 2\\d{4}\n")
        .doesNotContain("confirmRestart refused")
        .contains("DEMO PASSED");
    if (onPath("prometheus")) {
      assertThat(run.output()).contains("METRIC_WATCH on", "redactions SUCCESSFUL", "egress-failures SUCCESSFUL");
    } else {
      assertThat(run.output()).contains("METRIC_WATCH skipped: no prometheus on PATH");
    }
  }

  private record Run(int exit, String output) {}

  private static boolean onPath(String binary) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> !dir.isBlank() && Files.isExecutable(Path.of(dir, binary)));
  }

  private Run demo(String... options) throws IOException, InterruptedException {
    Path log = Files.createTempFile(data.getParent(), "demo", ".log");
    Process process =
        new ProcessBuilder(
                Stream.concat(
                        Stream.of(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-jar",
                            Path.of("target", "breakglass.jar").toString(),
                            "demo",
                            "--data",
                            data.toString()),
                        Stream.of(options))
                    .toList())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("demo did not finish: " + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static void damageOneArtifact(Path artifacts) throws IOException {
    try (Stream<Path> files = Files.walk(artifacts)) {
      Path victim = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(victim);
      bytes[bytes.length - 1] ^= 1;
      Files.write(victim, bytes);
    }
  }
}
