package io.breakglass.api.cli.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.api.BreakglassApplication;
import io.breakglass.api.cli.CommandExit;
import io.breakglass.api.cli.ops.ExitCodes;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.approval.ProofVerifier;
import io.breakglass.workflows.approval.VerifiedProof;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.commands.Rejection;
import io.breakglass.workflows.messages.values.ApprovalPolicy;
import io.breakglass.workflows.messages.values.ApproverKey;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.ArgumentParserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code approval keygen} and {@code approval sign} in-process: a key made by keygen signs
 * statements the workflow's verifier accepts for exactly the rotation and action asked, and the
 * signal input printed reads as the workflow reads it; a key file others can read, or bad
 * arguments, end with exit 2 and nothing printed to paste.
 */
class ApprovalCommandTest {

  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;

  private record Run(int exit, String out, String err) {}

  @Test
  void aKeyMadeByKeygen_signsAStatementTheWorkflowAccepts_forThatGateAndVerdictOnly()
      throws Exception {
    Path key = folder.resolve("bob.pem");
    Run keygen =
        run("approval", "keygen", "--out", key.toString(), "--as", "bob", "--key-id", "bob-2026");
    String publicKey = keygen.out().lines().findFirst().orElseThrow();
    Run sign =
        run(
            "approval",
            "sign",
            "--key-file",
            key.toString(),
            "--key-id",
            "bob-2026",
            "--as",
            "bob",
            "--rotation",
            "r1",
            "--gate",
            "proceed",
            "--verdict",
            "approve",
            "--comment",
            "checked the ticket");

    assertThat(keygen.exit()).as(keygen.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(keygen.out()).contains("      bob:\n        bob-2026: " + publicKey);
    assertThat(Files.readString(key)).doesNotContain(publicKey);
    assertThat(sign.exit()).as(sign.err()).isZero();
    String statement = sign.out().lines().findFirst().orElseThrow();
    ProofVerifier verifier = verifier(new ApproverKey("bob", "bob-2026", publicKey));
    ProofBinding proceed = ProofBinding.gate("r1", GateName.PROCEED, Verdict.APPROVE);
    VerifiedProof proof = verifier.verify(statement, proceed, NOW.plusSeconds(60));
    assertThat(proof.subject()).isEqualTo("bob");
    assertThat(proof.method()).isEqualTo("ed25519 bob-2026");
    assertThat(
            refused(verifier, statement, ProofBinding.gate("r1", GateName.REVOKE, Verdict.APPROVE)))
        .as("negative control: the same statement for another gate")
        .isTrue();
    assertThat(refused(verifier, statement, proceed, NOW.plus(Duration.ofMinutes(16))))
        .as("the default lifetime is 15 minutes")
        .isTrue();

    String input = sign.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
    Approval pasted = JSON.readValue(input, Approval.class);
    assertThat(pasted.problems()).isEmpty();
    assertThat(pasted.gate()).isEqualTo(GateName.PROCEED);
    assertThat(pasted.approver()).isEqualTo("bob");
    assertThat(pasted.comment()).isEqualTo("checked the ticket");
    assertThat(pasted.proof()).isEqualTo(statement);
    assertThat(sign.out()).contains("signal \"approve\" of workflow rotation-r1");
  }

  @Test
  void aRejection_aStart_andTheUnrevokeGate_eachGetTheirOwnBinding() throws Exception {
    Path key = folder.resolve("carol.pem");
    String publicKey =
        run("approval", "keygen", "--out", key.toString()).out().lines().findFirst().orElseThrow();
    ProofVerifier verifier = verifier(new ApproverKey("carol", "c1", publicKey));

    Run reject = sign(key, "--gate", "REVOKE", "--verdict", "REJECT", "--comment", "error rate up");
    Run start = sign(key, "--start");
    Run unrevoke = sign(key, "--gate", "unrevoke", "--verdict", "APPROVE");
    Run asking = sign(key, "--unrevoke");

    Rejection rejection =
        JSON.readValue(
            reject.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(),
            Rejection.class);
    assertThat(rejection.problems()).isEmpty();
    assertThat(rejection.reason()).isEqualTo("error rate up");
    assertThat(
            verifier
                .verify(
                    rejection.proof(),
                    ProofBinding.gate("r1", GateName.REVOKE, Verdict.REJECT),
                    NOW)
                .subject())
        .isEqualTo("carol");
    assertThat(verifier.verify(first(start), ProofBinding.start("r1"), NOW).subject())
        .isEqualTo("carol");
    assertThat(start.out()).contains("\"initiatorProof\"").contains("workflow rotation-r1");
    assertThat(
            verifier
                .verify(first(unrevoke), ProofBinding.unrevokeGate("r1", Verdict.APPROVE), NOW)
                .subject())
        .isEqualTo("carol");
    assertThat(unrevoke.out()).contains("of workflow unrevoke-r1").contains("\"gate\":\"REVOKE\"");
    assertThat(verifier.verify(first(asking), ProofBinding.unrevoke("r1"), NOW).subject())
        .isEqualTo("carol");
  }

  @Test
  void anOverrideOfThePreflight_isSignedForProceedOverride_andAPlainApprovalsBindingRefusesIt()
      throws Exception {
    Path key = Files.createDirectories(folder.resolve("override")).resolve("carol.pem");
    String publicKey =
        run("approval", "keygen", "--out", key.toString()).out().lines().findFirst().orElseThrow();
    ProofVerifier verifier = verifier(new ApproverKey("carol", "c1", publicKey));

    Run override =
        sign(
            key,
            "--gate",
            "PROCEED",
            "--verdict",
            "APPROVE",
            "--override-preflight",
            "--comment",
            "known burn");
    Run rejecting = sign(key, "--gate", "PROCEED", "--verdict", "REJECT", "--override-preflight");

    Approval pasted =
        JSON.readValue(
            override.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(),
            Approval.class);
    assertThat(pasted.problems()).isEmpty();
    assertThat(pasted.overridePreflight()).isTrue();
    assertThat(
            verifier
                .verify(pasted.proof(), ProofBinding.override("r1", GateName.PROCEED), NOW)
                .subject())
        .isEqualTo("carol");
    assertThat(
            refused(
                verifier,
                pasted.proof(),
                ProofBinding.gate("r1", GateName.PROCEED, Verdict.APPROVE)))
        .as("negative control: not a plain approval's proof")
        .isTrue();
    assertThat(rejecting.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(rejecting.err()).contains("--override-preflight goes with --verdict APPROVE");
  }

  @Test
  void aKeyFileOthersCanRead_isRefusedWithExit2_theSameFileMode0600Signs() throws Exception {
    Path key = folder.resolve("dave.pem");
    run("approval", "keygen", "--out", key.toString());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    Run readable = sign(key, "--start");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Run privateAgain = sign(key, "--start");

    assertThat(readable.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(readable.err()).contains("is open to others (rw-r--r--)").contains("chmod 600 ");
    assertThat(readable.out()).isEmpty();
    assertThat(privateAgain.exit()).isZero();
  }

  @Test
  void badArguments_andAFileThatHoldsNoEd25519Key_exit2() throws Exception {
    Path key = folder.resolve("erin.pem");
    run("approval", "keygen", "--out", key.toString());
    Path notAKey = Files.writeString(folder.resolve("not.pem"), SigningKeyFile.pem(new byte[3]));
    Files.setPosixFilePermissions(notAKey, PosixFilePermissions.fromString("rw-------"));

    assertThat(sign(key, "--gate", "PROCEED").err())
        .contains("--gate needs --verdict APPROVE or REJECT");
    assertThat(sign(key, "--gate", "PROCEED", "--verdict", "MAYBE").err())
        .contains("--verdict MAYBE is not one of");
    assertThat(sign(key, "--gate", "BACKUP", "--verdict", "APPROVE").err()).contains("or UNREVOKE");
    assertThat(sign(key, "--start", "--expires-in", "P2D").err()).contains("at most PT24H");
    assertThat(sign(key, "--start", "--expires-in", "15m").err()).contains("ISO-8601");
    assertThat(sign(notAKey, "--start").err()).contains("holds no Ed25519 private key");
    assertThat(sign(key, "--start", "--gate", "PROCEED").exit())
        .as("two actions at once")
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("approval", "keygen", "--out", key.toString()).err())
        .contains("never overwrites a key");
    for (Run refused : List.of(sign(key, "--gate", "PROCEED"), sign(notAKey, "--start"))) {
      assertThat(refused.exit()).isEqualTo(ExitCodes.USAGE);
      assertThat(refused.out()).isEmpty();
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Run sign(Path key, String... action) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "approval",
                "sign",
                "--key-file",
                key.toString(),
                "--key-id",
                key.getFileName().toString().startsWith("carol") ? "c1" : "k1",
                "--as",
                key.getFileName().toString().replace(".pem", ""),
                "--rotation",
                "r1"));
    args.addAll(List.of(action));
    return run(args.toArray(String[]::new));
  }

  private static String first(Run run) {
    assertThat(run.exit()).as(run.err()).isZero();
    return run.out().lines().findFirst().orElseThrow();
  }

  private static ProofVerifier verifier(ApproverKey key) {
    return new ProofVerifier(
        new ApprovalPolicy(
            false, null, null, null, Duration.ZERO, Duration.ofHours(1), List.of(key)),
        List.of());
  }

  private static boolean refused(ProofVerifier verifier, String statement, ProofBinding binding) {
    return refused(verifier, statement, binding, NOW);
  }

  private static boolean refused(
      ProofVerifier verifier, String statement, ProofBinding binding, Instant at) {
    try {
      verifier.verify(statement, binding, at);
      return false;
    } catch (io.breakglass.workflows.approval.ProofRefusedException expected) {
      return true;
    }
  }

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8);
    Bootstrap<?> bootstrap = new Bootstrap<>(new BreakglassApplication());
    bootstrap.addCommand(new ApprovalCommand(printed, Clock.fixed(NOW, ZoneOffset.UTC)));
    Optional<Throwable> failure =
        new Cli(new JarLocation(BreakglassApplication.class), bootstrap, out, err).run(args);
    int exit =
        failure
            .map(
                t ->
                    t instanceof CommandExit e
                        ? e.code()
                        : t instanceof ArgumentParserException ? ExitCodes.USAGE : 1)
            .orElse(0);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
