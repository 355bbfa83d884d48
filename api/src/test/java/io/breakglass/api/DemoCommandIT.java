package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(again.output()).doesNotContain("seeded synthetic data").contains("DEMO PASSED");
    assertThat(damaged.exit()).as("negative control").isEqualTo(1);
    assertThat(damaged.output()).contains("demo failed: ");
  }

  private record Run(int exit, String output) {}

  private Run demo() throws IOException, InterruptedException {
    Path log = Files.createTempFile(data.getParent(), "demo", ".log");
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    Path.of("target", "breakglass.jar").toString(),
                    "demo",
                    "--data",
                    data.toString()))
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
