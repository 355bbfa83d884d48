package io.breakglass.worker.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.workflows.messages.values.RotationState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRotationTest {

  private static final DevStack.DemoSize SMALL = new DevStack.DemoSize(400, 20, 2_048);

  @TempDir Path data;

  @Test
  void theDemo_passesOnAFreshDataFolder_andAgainOnTheSameOne() throws Exception {
    DevLayout layout = new DevLayout(data);
    String firstKey;
    DemoRotation.Outcome first;
    try (DevStack stack = DevStack.start(layout, 0, 0, SMALL, quiet())) {
      first = new DemoRotation(stack, quiet()).run(Duration.ofMinutes(2));
      firstKey = stack.currentKey(DevSettings.PAYLOAD_KEY).toString();
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    DemoRotation.Outcome second;
    String secondKey;
    List<String> validations;
    try (DevStack stack = DevStack.start(layout, 0, 0, SMALL, quiet())) {
      second =
          new DemoRotation(stack, new PrintStream(printed, true, StandardCharsets.UTF_8))
              .run(Duration.ofMinutes(2));
      secondKey = stack.currentKey(DevSettings.PAYLOAD_KEY).toString();
      validations = stack.history().find(second.rotationId()).orElseThrow().validations();
    }

    assertThat(first.passed()).as(first.problems().toString()).isTrue();
    assertThat(second.passed()).as(second.problems().toString()).isTrue();
    assertThat(second.status().state()).isEqualTo(RotationState.COMPLETED);
    assertThat(secondKey).isNotEqualTo(firstKey);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("incident timeline of rotation " + second.rotationId())
        .contains("items re-encrypted: 420")
        .contains("0 still under an old key id")
        .containsPattern("\n  SMOKE_TEST +SUCCEEDED +\\d+ check\\(s\\) passed\n")
        .contains("smoke checks passed: 0 of 0 configured")
        .containsPattern("\n  METRIC_WATCH +SKIPPED ")
        .contains("DEMO PASSED");
    assertThat(validations)
        .as("the dev stack's secrets are allowed no smoke check, and the report says why")
        .contains(
            "smoke coverage "
                + DevSettings.PAYLOAD_KEY
                + ": passed no smoke check configured for "
                + DevSettings.PAYLOAD_KEY
                + ": allowed by configuration (the embedded stack runs no service to check;"
                + " demo without --minimal adds one)");
  }

  @Test
  void
      theDemoWithTheSampleService_runsTheWholeRunbook_reportingItsChecks_andItsTrafficWithoutAFailure()
          throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    DemoRotation.Outcome outcome;
    try (DevStack stack = DevStack.startWithSampleService(new DevLayout(data), 0, 0, SMALL, out)) {
      outcome = new DemoRotation(stack, out).run(Duration.ofMinutes(2));
    }

    String report = printed.toString(StandardCharsets.UTF_8);
    assertThat(outcome.passed()).as(report).isTrue();
    assertThat(report)
        .contains(
            "sample service (the backend deployment, RELOAD_ENDPOINT; smoke checks against it): http://127.0.0.1:")
        .contains("backend reloaded its keyring")
        .contains("smoke health: passed")
        .contains("smoke jwt session: passed GET http://127.0.0.1:")
        .contains(
            "smoke coverage "
                + DevSettings.ARTIFACT_KEY
                + ": passed covered by upload canary chart")
        .doesNotContain("confirmRestart refused")
        .containsPattern(
            "sample service during the rotation: [1-9]\\d* writes, [1-9]\\d* reads, 0 failed writes, 0 failed reads")
        .contains("prometheus scraping it every second (METRIC_WATCH on): http://127.0.0.1:")
        .contains("smoke security controls (pytest): passed python3 -m pytest")
        .contains("smoke checks passed: 7 of 7 configured")
        .containsPattern(
            "\n  METRIC_WATCH +SUCCEEDED +redactions SUCCESSFUL: .*; egress-failures SUCCESSFUL: ")
        .containsPattern(
            "metric watch: log scan: \\d+ line\\(s\\), [1-9]\\d* chart_upload.saved entries, no finding")
        .contains("DEMO PASSED");
  }

  @Test
  void theDemo_failsWhenAnArtifactIsDamaged_andSaysWhy() throws Exception {
    DevLayout layout = new DevLayout(data);
    try (DevStack stack = DevStack.start(layout, 0, 0, SMALL, quiet())) {
      damageOneArtifact(layout);
      DemoRotation.Outcome outcome = new DemoRotation(stack, quiet()).run(Duration.ofMinutes(2));

      assertThat(outcome.passed()).isFalse();
      assertThat(outcome.problems())
          .singleElement()
          .asString()
          .contains("rotation ended ROLLED_BACK");
    }
  }

  private static void damageOneArtifact(DevLayout layout) throws IOException {
    try (Stream<Path> files = Files.walk(layout.artifacts())) {
      Path victim = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(victim);
      bytes[bytes.length - 1] ^= 1;
      Files.write(victim, bytes);
    }
  }

  private static PrintStream quiet() {
    return new PrintStream(PrintStream.nullOutputStream());
  }
}
