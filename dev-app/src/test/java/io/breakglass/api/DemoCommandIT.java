package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.breakglass.worker.embedded.TemporalCli;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick start's first command: the packaged jar's {@code demo}, as a newcomer runs it. */
class DemoCommandIT {

  /**
   * METRIC_WATCH's own line in the incident timeline: the phase ran, analysed both metrics, and
   * succeeded.
   */
  private static final Pattern METRIC_WATCH_SUCCEEDED =
      Pattern.compile(
          "\n  \\d+ +METRIC_WATCH +SUCCEEDED +breakglass +\\d+\\.\\d{3}s  redactions SUCCESSFUL: ");

  /** The summary's count of the HTTP smoke checks that passed: at least one. */
  private static final Pattern SMOKE_CHECKS_RAN =
      Pattern.compile("\n {18}smoke checks passed: [1-9]\\d* of ");

  /** The first run's rotation. */
  private static final Pattern STARTED = Pattern.compile("starting emergency rotation (demo-\\S+)");

  /** A data set's line of the summary: items under the target of those planned, shards done. */
  private static final Pattern EXACT =
      Pattern.compile(
          "\n {4}(\\S+) +(\\d+) of (\\d+) item\\(s\\) under \\S+ \\(\\d+ re-encrypted\\),"
              + " (\\d+) of (\\d+) shard\\(s\\)");

  @TempDir Path data;

  @Test
  void demo_runsTheWholeRunbook_onAFreshFolder_andAgain_andExitsNonZeroWhenAnArtifactIsDamaged()
      throws Exception {
    Run first = demo();
    assertThat(first.exit()).as(first.output()).isZero();
    Run again = demo();
    damageOneArtifact(data.resolve("artifacts"));
    Run damaged = demo();

    assertThat(first.output())
        .contains("seeded synthetic data: 20000 ai_json_snapshots rows, 500 chart artifacts")
        .contains(
            "sample service (the backend deployment, RELOAD_ENDPOINT; smoke checks against it): http://127.0.0.1:")
        .contains("prometheus scraping it every second (METRIC_WATCH on): http://127.0.0.1:")
        .contains("[11/14] METRIC_WATCH")
        .containsPattern(METRIC_WATCH_SUCCEEDED)
        .containsPattern(
            "\n  METRIC_WATCH +SUCCEEDED +redactions SUCCESSFUL: .*; egress-failures SUCCESSFUL: ")
        .containsPattern(
            "metric watch: log scan: \\d+ line\\(s\\), [1-9]\\d* chart_upload.saved entries, no finding")
        .containsPattern(SMOKE_CHECKS_RAN)
        .contains("smoke checks passed: 7 of 7 configured")
        .contains("backend reloaded its keyring")
        .contains("smoke jwt session: passed")
        .contains("smoke read canary snapshot: passed")
        .containsPattern(
            "sample service during the rotation: [1-9]\\d* writes, [1-9]\\d* reads, 0 failed writes, 0 failed reads")
        .containsPattern("items re-encrypted: 2\\d{4}\n")
        .contains("[14/14] CLOSE")
        .doesNotContain("confirmRestart refused", "reduced demo")
        .contains("DEMO PASSED");
    if (TemporalCli.find().isPresent()) {
      assertThat(first.output())
          .contains("Watch it in the Temporal Web UI: http://127.0.0.1:")
          .containsPattern(
              "in the Temporal Web UI: http://127\\.0\\.0\\.1:\\d+/namespaces/default/workflows/rotation-demo-");
    } else {
      assertThat(first.output()).contains(TemporalCli.MISSING);
    }
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(again.output())
        .doesNotContain("seeded synthetic data")
        .containsPattern(METRIC_WATCH_SUCCEEDED)
        .containsPattern(SMOKE_CHECKS_RAN)
        .contains("DEMO PASSED");
    assertThat(damaged.exit()).as("negative control").isEqualTo(1);
    assertThat(damaged.output()).contains("demo failed: ");
  }

  /**
   * The minimal demo, killed with its whole stack ({@code kill -9} of its JVM, Temporal server and
   * PostgreSQL at once) in the middle of REENCRYPT, then run again on the same folder as an
   * operator would. The second run settles what the first left: with the real Temporal server it
   * drives the interrupted rotation to its end; with the test server (which forgets it) a new
   * rotation revokes the versions it left. It passes, {@code doctor} finds nothing left for a
   * human, every data set has all its items under the new key and all its shards done, and it says
   * what the minimal demo leaves out.
   */
  @Test
  void theMinimalDemo_killedMidReencrypt_isSettledByTheNextRun_andSaysWhatItLeavesOut()
      throws Exception {
    Path killedLog = data.resolveSibling(data.getFileName() + "-killed.log");
    Process killed = demoProcess(System.getenv().getOrDefault("PATH", ""), killedLog, "--minimal");
    try {
      await("the first demo reaches REENCRYPT")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> Files.readString(killedLog).contains("] REENCRYPT"));
    } finally {
      killWholeStack(killed);
    }
    String before = Files.readString(killedLog, StandardCharsets.UTF_8);
    assertThat(before).as("killed mid-REENCRYPT").doesNotContain("] VERIFY_DATA");
    Matcher started = STARTED.matcher(before);
    assertThat(started.find()).as(before).isTrue();

    Run minimal = demo("--minimal");

    assertThat(minimal.exit()).as(minimal.output()).isZero();
    assertThat(minimal.output())
        .contains(
            "reduced demo (--minimal): no sample service, so no HTTP smoke checks, no traffic and METRIC_WATCH skipped;")
        .containsPattern("\n  METRIC_WATCH +SKIPPED ")
        .contains("smoke checks passed: 0 of 0 configured")
        .doesNotContain("sample service (the backend deployment", "prometheus scraping")
        .contains("DEMO PASSED")
        .contains("doctor: nothing needs a human");
    assertThat(METRIC_WATCH_SUCCEEDED.matcher(minimal.output()).find())
        .as("negative control: METRIC_WATCH")
        .isFalse();
    assertThat(SMOKE_CHECKS_RAN.matcher(minimal.output()).find())
        .as("negative control: smoke checks")
        .isFalse();
    if (TemporalCli.find().isPresent()) {
      assertThat(minimal.output())
          .contains("emergency rotation " + started.group(1) + " is still in flight")
          .doesNotContain("starting emergency rotation");
    } else {
      assertThat(minimal.output())
          .contains("doctor: an earlier run left this behind")
          .contains("rotation " + started.group(1) + " was recorded RUNNING")
          .contains("revoked the leftover version");
    }
    Matcher exact = EXACT.matcher(minimal.output());
    List<String> dataSets = new ArrayList<>();
    while (exact.find()) {
      dataSets.add(exact.group(1));
      assertThat(exact.group(2)).as(exact.group()).isEqualTo(exact.group(3));
      assertThat(exact.group(4)).as(exact.group()).isEqualTo(exact.group(5));
    }
    assertThat(dataSets).containsExactlyInAnyOrder("ai-snapshots", "chart-artifacts");
  }

  @Test
  void withoutPrometheusOnThePath_theDemoStopsBeforeStartingAnything_andSaysHowToGoOn()
      throws Exception {
    Run run = demoOnPath(pathWithout("prometheus"));

    assertThat(run.exit()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains(
            "demo failed: no prometheus on the PATH, and the demo's METRIC_WATCH needs one:"
                + " bin/install-prerequisites --demo installs Debian's (apt-get, as root or with sudo);"
                + " bin/breakglass demo --minimal runs the reduced demo")
        .doesNotContain("data folder:", "DEMO PASSED");
    try (Stream<Path> files = Files.list(data)) {
      assertThat(files).as("nothing started, nothing written").isEmpty();
    }
  }

  private record Run(int exit, String output) {}

  /** The PATH without the folders that hold {@code binary}. */
  private static String pathWithout(String binary) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(dir -> !dir.isBlank() && !Files.isExecutable(Path.of(dir, binary)))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private Run demo(String... options) throws IOException, InterruptedException {
    return demoOnPath(System.getenv().getOrDefault("PATH", ""), options);
  }

  private Run demoOnPath(String path, String... options) throws IOException, InterruptedException {
    Path log = Files.createTempFile(data.getParent(), "demo", ".log");
    Process process = demoProcess(path, log, options);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("demo did not finish: " + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /**
   * The packaged jar's {@code demo} on the data folder, started, its output going to {@code log}.
   */
  private Process demoProcess(String path, Path log, String... options) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Stream.concat(
                        Stream.of(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-jar",
                            Path.of("target", "breakglass-dev.jar").toString(),
                            "demo",
                            "--data",
                            data.toString()),
                        Stream.of(options))
                    .toList())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("PATH", path);
    return builder.start();
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

  private static void damageOneArtifact(Path artifacts) throws IOException {
    try (Stream<Path> files = Files.walk(artifacts)) {
      Path victim = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(victim);
      bytes[bytes.length - 1] ^= 1;
      Files.write(victim, bytes);
    }
  }
}
