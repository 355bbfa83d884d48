package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.worker.embedded.TemporalCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole dev stack killed in the middle of REENCRYPT ({@code kill -9} of the demo's JVM, its
 * Temporal server and its PostgreSQL at once), then the demo run again on the same data folder, as
 * an operator would. The second run settles what the first left: with the real Temporal server it
 * drives the interrupted rotation to its end; with the test server (which forgets it) a new
 * rotation revokes the versions it left. Either way the demo passes, {@code doctor} finds nothing
 * left for a human, no record is RUNNING, and every data set's figures are exact: all its items
 * under the new key, all its shards done.
 */
class DemoKilledMidReencryptIT {

  private static final Pattern STARTED = Pattern.compile("starting emergency rotation (demo-\\S+)");

  /** A data set's line of the summary: every item under the target, every shard done. */
  private static final Pattern EXACT =
      Pattern.compile(
          "\n {4}(\\S+) +(\\d+) of (\\d+) item\\(s\\) under \\S+ \\(\\d+ re-encrypted\\),"
              + " (\\d+) of (\\d+) shard\\(s\\)");

  @TempDir Path data;

  @Test
  void killedMidReencrypt_theNextRunSettlesIt_andEveryFigureIsExact() throws Exception {
    Path firstLog = data.resolveSibling(data.getFileName() + "-first.log");
    Process first = demo(firstLog);
    try {
      await("the first demo reaches REENCRYPT")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> Files.exists(firstLog) && Files.readString(firstLog).contains("] REENCRYPT"));
    } finally {
      killWholeStack(first);
    }
    String killed = Files.readString(firstLog, StandardCharsets.UTF_8);
    assertThat(killed).as("killed mid-REENCRYPT").doesNotContain("] VERIFY_DATA");
    Matcher started = STARTED.matcher(killed);
    assertThat(started.find()).as(killed).isTrue();
    String interrupted = started.group(1);

    Path againLog = data.resolveSibling(data.getFileName() + "-again.log");
    Process again = demo(againLog);
    if (!again.waitFor(6, TimeUnit.MINUTES)) {
      killWholeStack(again);
      throw new AssertionError("the second demo did not finish: " + Files.readString(againLog));
    }
    String output = Files.readString(againLog, StandardCharsets.UTF_8);

    assertThat(again.exitValue()).as(output).isZero();
    assertThat(output).contains("DEMO PASSED").contains("doctor: nothing needs a human");
    if (TemporalCli.find().isPresent()) {
      assertThat(output)
          .contains("emergency rotation " + interrupted + " is still in flight")
          .doesNotContain("starting emergency rotation");
    } else {
      assertThat(output)
          .contains("doctor: an earlier run left this behind")
          .contains("rotation " + interrupted + " was recorded RUNNING")
          .contains("revoked the leftover version");
    }
    Matcher exact = EXACT.matcher(output);
    List<String> dataSets = new ArrayList<>();
    while (exact.find()) {
      dataSets.add(exact.group(1));
      assertThat(exact.group(2)).as(exact.group()).isEqualTo(exact.group(3));
      assertThat(exact.group(4)).as(exact.group()).isEqualTo(exact.group(5));
    }
    assertThat(dataSets).containsExactlyInAnyOrder("ai-snapshots", "chart-artifacts");
  }

  /** {@code demo --minimal} on the data folder, its output in {@code log}. */
  private Process demo(Path log) throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            Path.of("target", "breakglass-dev.jar").toString(),
            "demo",
            "--minimal",
            "--data",
            data.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** SIGKILL to the JVM and every process it started, all at once: nothing cleans up. */
  private static void killWholeStack(Process process) throws Exception {
    List<ProcessHandle> stack =
        Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    stack.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : stack) {
      handle.onExit().get(30, TimeUnit.SECONDS);
    }
  }
}
