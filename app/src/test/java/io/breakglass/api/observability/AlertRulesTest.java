package io.breakglass.api.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/prometheus/breakglass-alerts.yml passes {@code promtool check rules} and its unit tests
 * ({@code promtool test rules}), which cover every alert; a rule broken on purpose fails them.
 */
class AlertRulesTest {

  static final Path FOLDER = Path.of("..", "deploy", "prometheus");
  private static final String RULES = "breakglass-alerts.yml";
  private static final String TESTS = "breakglass-alerts.test.yml";

  @TempDir Path copy;

  @Test
  void theRulesAreValid_andTheirUnitTestsPass() throws Exception {
    Promtool.Run check = Promtool.run(FOLDER, "check", "rules", RULES);
    Promtool.Run test = Promtool.run(FOLDER, "test", "rules", TESTS);

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 5 rules found");
    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  void everyAlert_hasUnitTests() throws Exception {
    Set<String> alerts = names(Files.readString(FOLDER.resolve(RULES)), "- alert: (\\S+)");
    Set<String> tested = names(Files.readString(FOLDER.resolve(TESTS)), "alertname: (\\S+)");

    assertThat(alerts)
        .containsExactlyInAnyOrder(
            "BreakglassRotationFailed",
            "BreakglassRotationRolledBack",
            "BreakglassGateWaitingPastReminder",
            "BreakglassNoWorkerPolling",
            "BreakglassSecretOverMaxAge");
    assertThat(tested).isEqualTo(alerts);
  }

  /** Negative control: a misspelled metric in one rule makes its unit test fail, by name. */
  @Test
  void aRuleWithAMisspelledMetric_failsItsUnitTest() throws Exception {
    Files.writeString(
        copy.resolve(RULES),
        Files.readString(FOLDER.resolve(RULES))
            .replace("breakglass_secret_age_seconds)", "breakglass_secret_age_second)"));
    Files.copy(FOLDER.resolve(TESTS), copy.resolve(TESTS));

    Promtool.Run test = Promtool.run(copy, "test", "rules", TESTS);

    assertThat(test.exitCode()).isNotZero();
    assertThat(test.output()).contains("FAILED").contains("BreakglassSecretOverMaxAge");
    assertThat(test.output()).doesNotContain("alertname: BreakglassRotationFailed");
  }

  private static Set<String> names(String yaml, String regex) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = Pattern.compile(regex).matcher(yaml);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }
}
