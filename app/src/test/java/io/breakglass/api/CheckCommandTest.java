package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.api.cli.ConfigurationCheckCommand;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void negativeControl_theExampleProductionConfiguration_passesCheck() throws Exception {
    CommandRun run = check(ExampleConfigurationTest.EXAMPLE);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("Worker configuration is OK\n");
  }

  @Test
  void theExampleApiConfiguration_isCheckedAsTheApis_andPasses() throws Exception {
    CommandRun run = check(ExampleConfigurationTest.API_EXAMPLE);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("API configuration is OK\n");
  }

  @Test
  void anUnknownField_failsNamingIt() throws Exception {
    CommandRun run =
        check(write(Files.readString(ExampleConfigurationTest.EXAMPLE) + "\nmetricz: {}\n"));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("Unrecognized field at: metricz");
  }

  @Test
  void aLocalStoreInAConfigurationThatLooksLikeProduction_isFlagged_inEitherKind()
      throws Exception {
    String store = "rotation:\n  secretStore:\n    path: /var/lib/breakglass/secrets.store\n";
    CommandRun worker =
        check(
            write(
                Files.readString(ExampleConfigurationTest.EXAMPLE).replace("rotation:\n", store)));
    CommandRun api =
        check(
            write(
                Files.readString(ExampleConfigurationTest.API_EXAMPLE)
                    .replace("rotation:                               ", store + "  #")));

    for (CommandRun run : List.of(worker, api)) {
      assertThat(run.exit()).as(run.err()).isEqualTo(ConfigurationCheckCommand.FINDINGS);
      assertThat(run.out())
          .contains(
              "finding: rotation.secretStore is a local store file"
                  + " (/var/lib/breakglass/secrets.store) while Temporal is at"
                  + " temporal.example.invalid:7233")
          .contains("AWS Secrets Manager (store: AWS_SECRETS_MANAGER) or Vault (store: VAULT)");
    }
  }

  @Test
  void negativeControl_aLocalStoreWithTemporalOnThisMachine_isDevelopment_andNotFlagged()
      throws Exception {
    CommandRun run =
        check(
            write(
                Files.readString(ExampleConfigurationTest.EXAMPLE)
                    .replace(
                        "rotation:\n", "rotation:\n  secretStore:\n    path: /tmp/secrets.store\n")
                    .replace("${TEMPORAL_TARGET}", "127.0.0.1:7233")));

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
  }

  @Test
  void aConfigurationWithoutMetricWatch_isFlagged_andExitsNonZero() throws Exception {
    String example = Files.readString(ExampleConfigurationTest.EXAMPLE);
    String withoutWatch =
        example.substring(0, example.indexOf("  metricWatch:"))
            + example.substring(example.indexOf("  smokeChecks:"));

    CommandRun run = check(write(withoutWatch));

    assertThat(run.exit()).isEqualTo(ConfigurationCheckCommand.FINDINGS);
    assertThat(run.out())
        .startsWith(
            "finding: rotation.metricWatch is not configured: METRIC_WATCH would be skipped");
    assertThat(run.err()).contains("1 finding(s) in the worker configuration");
  }

  @Test
  void aSecretNoSmokeCheckCovers_withoutAllowNoChecks_isFlagged() throws Exception {
    String example = Files.readString(ExampleConfigurationTest.EXAMPLE);
    String withoutProviderCheck =
        example.substring(0, example.indexOf("      operatorValueCheck:"))
            + example.substring(example.indexOf("      openai:"));

    CommandRun run = check(write(withoutProviderCheck));

    assertThat(run.exit()).isEqualTo(ConfigurationCheckCommand.FINDINGS);
    assertThat(run.out())
        .isEqualTo(
            "finding: rotation.secrets openai: no smoke check covers it and"
                + " smoke.allowNoChecks is not set, so PLAN refuses to rotate it\n");
  }

  @Test
  void unsignedApprovals_areFlagged() throws Exception {
    String example = Files.readString(ExampleConfigurationTest.EXAMPLE);

    CommandRun run = check(write(example.replace("allowUnsigned: false", "allowUnsigned: true")));

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

    CommandRun run = check(write(broken));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("smoke.allowNoChecks needs a reason");
  }

  private Path write(String configuration) throws Exception {
    return Files.writeString(folder.resolve("breakglass.yml"), configuration);
  }

  private static CommandRun check(Path file) {
    return CommandRun.of(
        new SubstitutingSourceProvider(
            new FileConfigurationSourceProvider(),
            new StringSubstitutor(ExampleConfigurationTest.ENVIRONMENT)),
        ConfigurationCheckCommand::new,
        "check",
        file.toString());
  }
}
