package io.breakglass.activities.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.CommandCheckConfig;
import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.workflows.activities.VerificationActivities.CheckResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSmokeCheckTest {

  /** 32 random bytes in base64: what a key in the worker's environment looks like. */
  private static final String KEY_LIKE = "q3Vx0bUu7Jm9dZk2o8Yc1TgH5rLpNwXe4sAfBiC6DjE=";

  private static final Map<String, String> WORKER_ENV =
      Map.of(
          "PATH",
          System.getenv("PATH"),
          "SERVICE_TOKEN",
          "tok-abcdef-123",
          "BREAKGLASS_MASTER_KEY",
          KEY_LIKE,
          "UNNAMED",
          "not-for-the-check");

  @TempDir Path folder;

  private final CommandSmokeCheck commands = new CommandSmokeCheck(WORKER_ENV::get);

  private CheckResult run(CommandCheckConfig command) {
    return commands.run(HttpCheckConfig.command("check", command, null), () -> {});
  }

  private static CommandCheckConfig shell(
      String script, List<String> env, Duration timeout, Integer tail) {
    return new CommandCheckConfig(List.of("sh", "-c", script), null, timeout, env, tail);
  }

  @Test
  void aProcessThatExitsWithZero_passes_andItsLastLinesAreRecorded() {
    CheckResult result =
        run(shell("for i in 1 2 3 4 5; do echo line $i; done; echo to stderr >&2", null, null, 3));

    assertThat(result.passed()).isTrue();
    assertThat(result.detail())
        .isEqualTo(
            "sh -c for i in 1 2 3 4 5; do echo line $i; done; echo to stderr >&2 exited with 0; last 3 of 6 output lines:\n"
                + "line 4\nline 5\nto stderr");
  }

  @Test
  void aProcessThatExitsWithAnythingElse_fails_namingItsExitCode() {
    CheckResult result =
        run(shell("echo 'FAILED test_session - assert 200 == 401'; exit 3", null, null, null));

    assertThat(result.passed()).isFalse();
    assertThat(result.detail())
        .contains("exited with 3", "FAILED test_session - assert 200 == 401");
  }

  @Test
  void theProcessSeesOnlyTheBasicsAndTheVariablesItNames_andTheirValuesNeverReachTheRecord() {
    CheckResult result =
        run(
            shell(
                "echo token=$SERVICE_TOKEN; echo unnamed=${UNNAMED:-unset}; echo master=${BREAKGLASS_MASTER_KEY:-unset};"
                    + " echo printed "
                    + KEY_LIKE
                    + "; test -n \"$SERVICE_TOKEN\"",
                List.of("SERVICE_TOKEN"),
                null,
                null));

    assertThat(result.passed()).as("the named variable reached the process").isTrue();
    assertThat(result.detail())
        .contains("token=[redacted]", "unnamed=unset", "master=unset", "printed [redacted]")
        .doesNotContain("tok-abcdef-123", KEY_LIKE, "not-for-the-check");
  }

  @Test
  void aProcessPastItsTimeout_isKilled_andFails() {
    long started = System.nanoTime();
    CheckResult result = run(shell("echo started; sleep 30", null, Duration.ofMillis(500), null));

    assertThat(result.passed()).isFalse();
    assertThat(result.detail()).contains("killed after its timeout of PT0.5S", "started");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aLongOutput_isHeldToItsTail_andEachLineToABoundedLength() {
    CheckResult result =
        run(
            shell(
                "awk 'BEGIN { s = sprintf(\"%400s\", \"\"); gsub(/ /, \"x\", s); for (i = 0; i < 5000; i++) print i \" \" s }'",
                null, null, 2));

    assertThat(result.passed()).isTrue();
    List<String> lines = result.detail().lines().toList();
    assertThat(lines.get(0)).endsWith("last 2 of 5000 output lines:");
    assertThat(lines.subList(1, 3))
        .allSatisfy(
            line -> assertThat(line.length()).isLessThanOrEqualTo(OutputTail.LINE_LENGTH + 6));
    assertThat(lines.get(2)).startsWith("4999 ");
  }

  @Test
  void aProgramThatDoesNotExist_fails_sayingItCannotStart() {
    CheckResult result =
        run(
            new CommandCheckConfig(
                List.of("no-such-program-here"), folder.toString(), null, null, null));

    assertThat(result.passed()).isFalse();
    assertThat(result.detail()).startsWith("no-such-program-here: cannot start");
  }

  @Test
  void aNamedVariableThatIsNotSet_failsTheCheck_withoutRunningIt() {
    CheckResult result = run(shell("exit 0", List.of("NOT_SET_ANYWHERE"), null, null));

    assertThat(result.passed()).isFalse();
    assertThat(result.detail()).endsWith("environment variable NOT_SET_ANYWHERE is not set");
  }

  @Test
  void breakglassOwnVariables_cannotBeGivenToACheck() {
    assertThatThrownBy(() -> shell("true", List.of("BREAKGLASS_MASTER_KEY"), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be given BREAKGLASS_MASTER_KEY");
  }

  @Test
  void theActivityHeartbeats_whileALongCheckRuns() {
    AtomicInteger beats = new AtomicInteger();
    new CommandSmokeCheck(WORKER_ENV::get, Duration.ofMillis(100))
        .run(
            HttpCheckConfig.command("slow", shell("sleep 1", null, null, null), null),
            beats::incrementAndGet);

    assertThat(beats.get()).isPositive();
  }
}
