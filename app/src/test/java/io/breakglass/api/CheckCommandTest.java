package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.api.cli.CommandExit;
import io.breakglass.api.cli.ConfigurationCheckCommand;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check}: the example production configuration passes; one without {@code metricWatch}, or
 * with a secret no smoke check covers and no {@code smoke.allowNoChecks}, is flagged with a finding
 * and exit code {@value ConfigurationCheckCommand#FINDINGS}; a file that does not validate exits 1.
 */
class CheckCommandTest {

  @TempDir Path folder;

  private record Run(int exit, String out, String err) {}

  @Test
  void negativeControl_theExampleProductionConfiguration_passesCheck() throws Exception {
    Run run = check(ExampleConfigurationTest.EXAMPLE);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("Configuration is OK\n");
  }

  @Test
  void aConfigurationWithoutMetricWatch_isFlagged_andExitsNonZero() throws Exception {
    String example = Files.readString(ExampleConfigurationTest.EXAMPLE);
    String withoutWatch =
        example.substring(0, example.indexOf("  metricWatch:"))
            + example.substring(example.indexOf("  smokeChecks:"));

    Run run = check(write(withoutWatch));

    assertThat(run.exit()).isEqualTo(ConfigurationCheckCommand.FINDINGS);
    assertThat(run.out())
        .startsWith(
            "finding: rotation.metricWatch is not configured: METRIC_WATCH would be skipped");
    assertThat(run.err()).contains("1 finding(s) in the configuration");
  }

  @Test
  void aSecretNoSmokeCheckCovers_withoutAllowNoChecks_isFlagged() throws Exception {
    String example = Files.readString(ExampleConfigurationTest.EXAMPLE);
    String withoutProviderCheck =
        example.substring(0, example.indexOf("      operatorValueCheck:"))
            + example.substring(example.indexOf("      openai:"));

    Run run = check(write(withoutProviderCheck));

    assertThat(run.exit()).isEqualTo(ConfigurationCheckCommand.FINDINGS);
    assertThat(run.out())
        .isEqualTo(
            "finding: rotation.secrets openai: no smoke check covers it and"
                + " smoke.allowNoChecks is not set, so PLAN refuses to rotate it\n");
  }

  @Test
  void unsignedApprovals_areFlagged() throws Exception {
    String example = Files.readString(ExampleConfigurationTest.EXAMPLE);

    Run run = check(write(example.replace("allowUnsigned: false", "allowUnsigned: true")));

    assertThat(run.exit()).isEqualTo(ConfigurationCheckCommand.FINDINGS);
    assertThat(run.out())
        .isEqualTo(
            "finding: rotation.approvals.allowUnsigned is true: anyone who can signal"
                + " the workflow can start or approve under any name; for development, demos and test beds only\n");
  }

  @Test
  void aFileThatDoesNotValidate_exitsOne_notWithFindings() throws Exception {
    String broken =
        Files.readString(ExampleConfigurationTest.EXAMPLE)
            .replace(
                "      maxAge: P90D",
                "      smoke: {allowNoChecks: true, reason: \"\"}\n      maxAge: P90D");

    Run run = check(write(broken));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("smoke.allowNoChecks needs a reason");
  }

  private Path write(String configuration) throws Exception {
    return Files.writeString(folder.resolve("breakglass.yml"), configuration);
  }

  private static Run check(Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    BreakglassApplication application = new BreakglassApplication();
    Bootstrap<BreakglassConfiguration> bootstrap = new Bootstrap<>(application);
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            new FileConfigurationSourceProvider(),
            new StringSubstitutor(ExampleConfigurationTest.ENVIRONMENT)));
    bootstrap.addCommand(
        new ConfigurationCheckCommand(
            application, new PrintStream(out, true, StandardCharsets.UTF_8)));
    Optional<Throwable> failure =
        new Cli(new JarLocation(BreakglassApplication.class), bootstrap, out, err)
            .run("check", file.toString());
    int exit = failure.map(t -> t instanceof CommandExit e ? e.code() : 1).orElse(0);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
