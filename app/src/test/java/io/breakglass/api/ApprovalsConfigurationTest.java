package io.breakglass.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.breakglass.workflows.messages.values.ApprovalPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rotation.approvals} in a configuration file: the production example proves approvals and
 * names its identity provider and keys; a file without the section, or one that could verify
 * nothing, or a key that is no Ed25519 public key, is refused at load naming what is wrong.
 */
class ApprovalsConfigurationTest {

  private static final String SECTION_START = "  approvals:";
  private static final String SECTION_END = "  backups:";

  @Test
  void theExample_carriesItsApprovalRulesIntoThePlanPolicy() throws Exception {
    ApprovalPolicy policy =
        load(ExampleConfigurationTest.EXAMPLE).getRotation().approvals().policy();

    assertThat(policy.allowUnsigned()).isFalse();
    assertThat(policy.issuer()).isEqualTo("https://login.example.com/realms/ops");
    assertThat(policy.audience()).isEqualTo("breakglass-approvals");
    assertThat(policy.nameClaim()).isEqualTo("preferred_username");
    assertThat(policy.leeway()).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.statementMaxLifetime()).isEqualTo(Duration.ofHours(1));
    assertThat(policy.keys()).hasSize(2);
    assertThat(policy.toString())
        .as("the plan holds no JWKS address, only the issuer")
        .doesNotContain("certs");
  }

  @Test
  void aFileWithoutTheSection_isRefused_sayingHowToFixIt(@TempDir Path folder) throws Exception {
    String example = Files.readString(ExampleConfigurationTest.EXAMPLE);
    String without =
        example.substring(0, example.indexOf(SECTION_START))
            + example.substring(example.indexOf(SECTION_END));

    assertThat(refusal(folder, without))
        .contains(
            "rotation.approvals is missing: configure how approvals are verified (oidc, keys), or set"
                + " allowUnsigned: true for development only");
  }

  @Test
  void provingNothing_isRefused_unlessUnsignedDecisionsAreAllowed(@TempDir Path folder)
      throws Exception {
    String example = Files.readString(ExampleConfigurationTest.EXAMPLE);
    String nothing =
        example.substring(0, example.indexOf(SECTION_START))
            + "  approvals:\n    allowUnsigned: false\n"
            + example.substring(example.indexOf(SECTION_END));
    String unsigned = nothing.replace("allowUnsigned: false", "allowUnsigned: true");

    assertThat(refusal(folder, nothing))
        .contains("with allowUnsigned false, configure oidc or keys");
    assertThat(load(write(folder, unsigned)).getRotation().approvals().allowUnsigned()).isTrue();
  }

  @Test
  void aKeyThatIsNoEd25519PublicKey_orAKeyIdUsedTwice_isRefusedNamingIt(@TempDir Path folder)
      throws Exception {
    String example = Files.readString(ExampleConfigurationTest.EXAMPLE);

    assertThat(
            refusal(
                folder,
                example.replace(
                    "bob-2026: NKReyU/4sGZjdDPizGZbeD8IeA3x2kN0SPhfJMJDsgM=",
                    "bob-2026: c2hvcnQ=")))
        .contains("approvals.keys.bob.bob-2026: an Ed25519 public key is 32 bytes, not 5");
    assertThat(refusal(folder, example.replace("bob-2026:", "alice-2026:")))
        .contains("key id alice-2026 is registered to both alice and bob");
    assertThat(refusal(folder, example.replace("      bob:\n", "      ALICE:\n")))
        .contains("'alice' and 'ALICE' are the same person once normalised");
  }

  @Test
  void aJwksOverPlainHttp_orTheStatementIssuer_isRefused(@TempDir Path folder) throws Exception {
    String example = Files.readString(ExampleConfigurationTest.EXAMPLE);

    assertThat(
            refusal(
                folder,
                example.replace(
                    "jwksUri: https://login.example.com", "jwksUri: http://login.example.com")))
        .contains("jwksUri must be https (or http on loopback)");
    assertThat(
            refusal(
                folder,
                example.replace(
                    "issuer: https://login.example.com/realms/ops", "issuer: breakglass-approval")))
        .contains("reserved for signed statements");
  }

  private static String refusal(Path folder, String yaml) throws Exception {
    Path file = write(folder, yaml);
    Throwable refused = catchThrowable(() -> load(file));
    assertThat(refused).as("refused").isNotNull();
    return refused.getMessage();
  }

  private static Path write(Path folder, String yaml) throws Exception {
    Path file = folder.resolve("breakglass.yml");
    Files.writeString(file, yaml);
    return file;
  }

  private static WorkerConfiguration load(Path file) throws Exception {
    return ExampleFiles.load(WorkerConfiguration.class, file, ExampleConfigurationTest.ENVIRONMENT);
  }
}
