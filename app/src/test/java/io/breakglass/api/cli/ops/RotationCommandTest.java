package io.breakglass.api.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.api.ApiTestbed;
import io.breakglass.api.BreakglassApplication;
import io.breakglass.api.ForwardedCommands;
import io.breakglass.api.ManualRestarts;
import io.breakglass.api.TestProofs;
import io.breakglass.api.cli.CommandExit;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code rotation} commands run in-process through Dropwizard's command line against the
 * operator API on the embedded stack: what they print and the exit code a script sees.
 */
class RotationCommandTest {

  private static ApiTestbed testbed;

  @RegisterExtension
  static final BeforeAllCallback SHARED = context -> testbed = ApiTestbed.shared(context);

  @TempDir Path tokens;

  private record Run(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  @Test
  void aRotationStartedApprovedByTwoAndReported_withTheInitiatorRefused_exit3() throws Exception {
    Run start =
        rotation(
            "ada",
            "start",
            "c-flow",
            "--secret",
            "artifact-encryption-key",
            "--reason",
            "token in a ticket",
            "--approvals",
            "2");
    Run atGate = rotation("vera", "status", "c-flow", "--watch");
    Run own = rotation("ada", "approve", "c-flow", "--comment", "mine");
    Run bob = rotation("bob", "approve", "c-flow", "--comment", "checked the ticket");
    Run bobAgain = rotation("bob", "approve", "c-flow", "--comment", "again");
    Run carol = rotation("carol", "approve", "c-flow", "--gate", "proceed", "--comment", "agreed");

    assertThat(start.exit()).as(start.all()).isZero();
    assertThat(start.out()).contains("started rotation c-flow (workflow rotation-c-flow)");
    assertThat(atGate.exit()).as(atGate.all()).isZero();
    assertThat(atGate.out())
        .contains("AWAITING_APPROVAL")
        .contains("gate PROCEED is open: 0/2 approvals");
    assertThat(own.exit()).as(own.all()).isEqualTo(ExitCodes.REFUSED);
    assertThat(own.err()).contains("403").contains("two-person rule").doesNotContain("Exception");
    assertThat(bob.exit()).as(bob.all()).isZero();
    assertThat(bob.out()).contains("approved gate PROCEED of rotation c-flow: OPEN, 1/2 approvals");
    assertThat(bobAgain.exit()).isEqualTo(ExitCodes.REFUSED);
    assertThat(bobAgain.err()).contains("409").contains("already approved");
    assertThat(carol.exit()).as(carol.all()).isZero();
    assertThat(carol.out()).contains("APPROVED, 2/2 approvals");

    ManualRestarts.confirmUntil(
        testbed, "c-flow", s -> "REVOKE".equals(s.path("pendingGate").path("gate").asText()));
    Run watch = rotation("vera", "status", "c-flow", "--watch");
    Run status = rotation("vera", "status", "c-flow");
    Run report = rotation("vera", "report", "c-flow");

    assertThat(watch.exit()).as(watch.all()).isZero();
    assertThat(watch.out())
        .contains("AWAITING_APPROVAL in GATE_REVOKE")
        .containsPattern("chart-artifacts +\\[#{30}\\] +4/4 \\(100%\\) \\d+ items/s");
    assertThat(status.exit()).as(status.all()).isZero();
    assertThat(status.out())
        .contains("gate REVOKE is open: 0/2 approvals")
        .containsPattern("chart-artifacts +\\[#{30}\\] +4/4 \\(100%\\)")
        .contains("REENCRYPT");
    assertThat(report.exit()).as(report.all()).isZero();
    assertThat(report.out())
        .startsWith("# Incident report: rotation c-flow")
        .contains("- **Initiator:** ada")
        .contains("approved by bob")
        .contains("approved by carol")
        .contains("| data set | planned | done |");

    assertThat(testbed.cancel("olivia", "c-flow", "test over").statusCode()).isEqualTo(202);
    // The rollback restarts the deployment again; the manual target waits for each confirmation.
    ManualRestarts.confirmUntil(
        testbed, "c-flow", s -> s.path("state").asText().equals("ROLLED_BACK"));
    Run rolledBack = rotation("vera", "status", "c-flow", "--wait");
    assertThat(rolledBack.exit()).as(rolledBack.all()).isEqualTo(ExitCodes.ROTATION_FAILED);
    assertThat(rolledBack.err()).contains("ended ROLLED_BACK");
  }

  @Test
  void haltAndResume_areSentAsTheOperator_andAViewerIsRefused_exit3() throws Exception {
    assertThat(
            rotation("olivia", "start", "c-halt", "--secret", "jwt", "--reason", "halt test")
                .exit())
        .isZero();
    testbed.awaitGate("c-halt", "PROCEED");

    Run viewer = rotation("vera", "halt", "c-halt", "--comment", "stop");
    Run halt = rotation("olivia", "halt", "c-halt", "--comment", "pause for the on-call");
    // The gate is the step in flight: once it passes, the rotation waits instead of going on.
    assertThat(rotation("bob", "approve", "c-halt", "--comment", "ok").exit()).isZero();
    JsonNode halted =
        testbed.awaitStatus(
            "c-halt", s -> s.path("pendingDecision").isObject(), Duration.ofSeconds(30));
    Run wrong = rotation("olivia", "resume", "c-halt", "--action", "retry", "--comment", "no");
    Run resume =
        rotation("olivia", "resume", "c-halt", "--action", "continue", "--comment", "carry on");

    assertThat(viewer.exit()).isEqualTo(ExitCodes.REFUSED);
    assertThat(viewer.err()).contains("403").containsIgnoringCase("not authorized");
    assertThat(halt.exit()).as(halt.all()).isZero();
    assertThat(halt.out()).contains("halt sent");
    assertThat(halted.path("pendingDecision").path("allowed").toString()).contains("CONTINUE");
    assertThat(wrong.exit()).isEqualTo(ExitCodes.REFUSED);
    assertThat(wrong.err()).contains("not RETRY");
    assertThat(resume.exit()).as(resume.all()).isZero();
    assertThat(resume.out()).contains("resume CONTINUE sent");
    // Cancelled once it waits for the manual restart, a point this test reaches for sure (a cancel
    // while a call is in flight is CancellationAndHaltTest's). The rollback restarts the manual
    // deployment too: confirm it, so the new jwt version is discarded before another test of the
    // shared stack rotates jwt.
    testbed.awaitStatus(
        "c-halt",
        s -> s.path("pendingRestarts").toString().contains("backend"),
        Duration.ofSeconds(60));
    assertThat(testbed.cancel("olivia", "c-halt", "test over").statusCode()).isEqualTo(202);
    ManualRestarts.confirmUntil(
        testbed,
        "c-halt",
        s -> List.of("ROLLED_BACK", "FAILED", "COMPLETED").contains(s.path("state").asText()));
  }

  @Test
  void anUnknownRotation_exits4_anUnreachableApi5_aBadToken2WithThe401Message() throws Exception {
    Run unknown = rotation("vera", "status", "c-nothing");
    Run unreachable =
        run(
            List.of(
                "rotation",
                "status",
                "c-nothing",
                "--api",
                "http://127.0.0.1:1",
                "--token-file",
                tokenFile("vera").toString()));
    Path bad = Files.writeString(tokens.resolve("bad"), "not-a-token\n");
    Run badToken =
        run(
            List.of(
                "rotation", "status", "c-nothing", "--api", api(), "--token-file", bad.toString()));
    Run noToken = run(List.of("rotation", "status", "c-nothing", "--api", api()));

    assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err()).contains("no rotation c-nothing");
    assertThat(unreachable.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(unreachable.err()).contains("did not answer");
    assertThat(badToken.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badToken.err())
        .contains("401")
        .containsIgnoringCase("credentials are required")
        .doesNotContain("not-a-token");
    assertThat(noToken.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(noToken.err()).contains("BREAKGLASS_TOKEN");
  }

  @Test
  void theTokenComesFromTheEnvironment_whenNoFileIsGiven() throws Exception {
    Run withEnv =
        run(
            List.of("rotation", "status", "c-nothing", "--api", api()),
            Map.of("BREAKGLASS_TOKEN", ApiTestbed.token("vera")));

    // Authenticated (else 401, exit 2): the rotation is simply unknown.
    assertThat(withEnv.exit()).as(withEnv.all()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void theExitCodes_separateRefusals_fromBadInput_andNegativeControl_successIsZero() {
    assertThat(ExitCodes.forStatus(200)).isZero();
    assertThat(ExitCodes.forStatus(202)).isZero();
    assertThat(ExitCodes.forStatus(400)).isEqualTo(ExitCodes.USAGE);
    assertThat(ExitCodes.forStatus(401)).isEqualTo(ExitCodes.USAGE);
    assertThat(ExitCodes.forStatus(422)).isEqualTo(ExitCodes.USAGE);
    assertThat(ExitCodes.forStatus(403)).isEqualTo(ExitCodes.REFUSED);
    assertThat(ExitCodes.forStatus(409)).isEqualTo(ExitCodes.REFUSED);
    assertThat(ExitCodes.forStatus(404)).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(ExitCodes.forStatus(503)).isEqualTo(ExitCodes.UNAVAILABLE);
  }

  @Test
  void startAndApproveWithAKeyFile_signStatementsForExactlyThisAction_andTheWorkflowReceivesThem()
      throws Exception {
    KeyPair olivias = TestProofs.keyOf("olivia");
    KeyPair bobs = TestProofs.keyOf("bob");
    String carols =
        TestProofs.statement(
            "carol", ProofBinding.gate("c-proof", GateName.PROCEED, Verdict.APPROVE));
    Path carolsProof = Files.writeString(tokens.resolve("carol.jws"), carols + "\n");

    Run start =
        rotation(
            "olivia",
            "start",
            "c-proof",
            "--secret",
            "openai",
            "--reason",
            "leaked in a log",
            "--approvals",
            "4",
            "--key-file",
            keyFile("olivia", olivias, "rw-------").toString(),
            "--key-id",
            "olivia-1");
    testbed.awaitGate("c-proof", "PROCEED");
    Run bob =
        rotation(
            "bob",
            "approve",
            "c-proof",
            "--comment",
            "checked",
            "--key-file",
            keyFile("bob", bobs, "r--------").toString(),
            "--key-id",
            "bob-1");
    Run carol =
        rotation(
            "carol",
            "approve",
            "c-proof",
            "--gate",
            "proceed",
            "--comment",
            "agreed",
            "--proof-file",
            carolsProof.toString());
    Run ada = rotation("ada", "approve", "c-proof", "--comment", "unsigned");

    assertThat(start.exit()).as(start.all()).isZero();
    assertThat(start.out())
        .contains(
            "signed a statement by olivia for START of rotation c-proof (key olivia-1, counts until");
    String startProof = ForwardedCommands.start(testbed, "c-proof").initiatorProof();
    assertThat(TestProofs.verifies(startProof, olivias.getPublic())).isTrue();
    assertThat(TestProofs.claims(startProof).path("act").asText()).isEqualTo("START");
    assertThat(bob.exit()).as(bob.all()).isZero();
    assertThat(bob.out())
        .contains("signed a statement by bob for PROCEED:APPROVE of rotation c-proof");
    String bobsProof = ForwardedCommands.lastBy(testbed, "c-proof", "bob").proof();
    assertThat(TestProofs.verifies(bobsProof, bobs.getPublic())).isTrue();
    assertThat(TestProofs.verifies(bobsProof, olivias.getPublic()))
        .as("negative control: another key")
        .isFalse();
    JsonNode claims = TestProofs.claims(bobsProof);
    assertThat(claims.path("sub").asText()).isEqualTo("bob");
    assertThat(claims.path("rot").asText()).isEqualTo("c-proof");
    assertThat(claims.path("act").asText()).isEqualTo("PROCEED:APPROVE");
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(600);
    assertThat(TestProofs.header(bobsProof).path("kid").asText()).isEqualTo("bob-1");
    assertThat(carol.exit()).as(carol.all()).isZero();
    assertThat(ForwardedCommands.lastBy(testbed, "c-proof", "carol").proof()).isEqualTo(carols);
    assertThat(ada.exit()).as(ada.all()).isZero();
    assertThat(ForwardedCommands.lastBy(testbed, "c-proof", "ada").proof())
        .as("no key, no proof")
        .isNull();

    assertThat(testbed.cancel("olivia", "c-proof", "test over").statusCode()).isEqualTo(202);
    ManualRestarts.confirmUntil(
        testbed,
        "c-proof",
        s -> List.of("ROLLED_BACK", "FAILED").contains(s.path("state").asText()));
  }

  @Test
  void
      aKeyFileOthersCanRead_isRefused_exit2_beforeAnythingIsSent_andNegativeControl_ownerOnlyGetsThrough()
          throws Exception {
    KeyPair key = TestProofs.ed25519();
    Path open = keyFile("bob-open", key, "rw-r--r--");
    Path groupReadable = keyFile("bob-group", key, "rw-r-----");
    Path ownerOnly = keyFile("bob-own", key, "rw-------");

    Run worldReadable =
        rotation(
            "bob",
            "approve",
            "c-nothing",
            "--gate",
            "PROCEED",
            "--comment",
            "x",
            "--key-file",
            open.toString(),
            "--key-id",
            "bob-1");
    Run group =
        rotation(
            "olivia",
            "start",
            "c-nothing",
            "--secret",
            "jwt",
            "--reason",
            "x",
            "--key-file",
            groupReadable.toString(),
            "--key-id",
            "olivia-1");
    Run control =
        rotation(
            "bob",
            "approve",
            "c-nothing",
            "--gate",
            "PROCEED",
            "--comment",
            "x",
            "--key-file",
            ownerOnly.toString(),
            "--key-id",
            "bob-1");

    assertThat(worldReadable.exit()).as(worldReadable.all()).isEqualTo(ExitCodes.USAGE);
    assertThat(worldReadable.err())
        .contains("is open to others (rw-r--r--)")
        .contains("chmod 600 " + open);
    assertThat(worldReadable.all()).doesNotContain("BEGIN PRIVATE KEY");
    assertThat(group.exit()).as(group.all()).isEqualTo(ExitCodes.USAGE);
    assertThat(group.err()).contains("is open to others (rw-r-----)");
    assertThat(testbed.get("ada", "/api/rotations/c-nothing").statusCode())
        .as("nothing started")
        .isEqualTo(404);
    // Signed, sent, and refused by the API for a reason of its own: the key was accepted.
    assertThat(control.exit()).as(control.all()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(control.out())
        .contains("signed a statement by bob for PROCEED:APPROVE of rotation c-nothing");
  }

  @Test
  void proofOptionsThatCannotMeanAnything_exit2() throws Exception {
    Path key = keyFile("bob-opts", TestProofs.ed25519(), "rw-------");
    Path notAKey = Files.writeString(tokens.resolve("not-a-key.pem"), "hello\n");
    Files.setPosixFilePermissions(notAKey, PosixFilePermissions.fromString("rw-------"));

    Run noKeyId =
        rotation(
            "bob",
            "approve",
            "c-nothing",
            "--gate",
            "PROCEED",
            "--comment",
            "x",
            "--key-file",
            key.toString());
    Run twoSources =
        rotation(
            "bob",
            "approve",
            "c-nothing",
            "--gate",
            "PROCEED",
            "--comment",
            "x",
            "--key-file",
            key.toString(),
            "--key-id",
            "k",
            "--proof",
            "a.b.c");
    Run longTtl =
        rotation(
            "bob",
            "approve",
            "c-nothing",
            "--gate",
            "PROCEED",
            "--comment",
            "x",
            "--key-file",
            key.toString(),
            "--key-id",
            "k",
            "--proof-ttl",
            "PT2H");
    Run badProof =
        rotation(
            "bob",
            "approve",
            "c-nothing",
            "--gate",
            "PROCEED",
            "--comment",
            "x",
            "--proof",
            "not a jws");
    Run garbage =
        rotation(
            "bob",
            "approve",
            "c-nothing",
            "--gate",
            "PROCEED",
            "--comment",
            "x",
            "--key-file",
            notAKey.toString(),
            "--key-id",
            "k");

    assertThat(noKeyId.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(noKeyId.err()).contains("--key-file needs --key-id");
    assertThat(twoSources.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(twoSources.err()).contains("give one of --key-file, --proof and --proof-file");
    assertThat(longTtl.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(longTtl.err()).contains("--proof-ttl must be positive and at most PT1H");
    assertThat(badProof.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badProof.err()).contains("must be a compact JWS");
    assertThat(garbage.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(garbage.err()).contains("holds no PKCS#8 PEM private key");
  }

  /** {@code key}'s private half as a PEM file with {@code permissions} (e.g. rw-------). */
  private Path keyFile(String name, KeyPair key, String permissions) throws IOException {
    Path file = Files.writeString(tokens.resolve(name + ".pem"), TestProofs.pem(key.getPrivate()));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  private Run rotation(String user, String action, String id, String... options)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "rotation",
                action,
                id,
                "--api",
                api(),
                "--token-file",
                tokenFile(user).toString()));
    args.addAll(List.of(options));
    return run(args);
  }

  private static String api() {
    return testbed.uri("/").toString();
  }

  private Path tokenFile(String user) throws IOException {
    return Files.writeString(tokens.resolve(user), ApiTestbed.token(user) + "\n");
  }

  private static Run run(List<String> args) {
    return run(args, Map.of());
  }

  private static Run run(List<String> args, Map<String, String> environment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8);
    Bootstrap<?> bootstrap = new Bootstrap<>(new BreakglassApplication());
    bootstrap.addCommand(new RotationCommand(printed, environment, Duration.ofMillis(200)));
    Optional<Throwable> failure =
        new Cli(new JarLocation(BreakglassApplication.class), bootstrap, out, err)
            .run(args.toArray(String[]::new));
    int exit = failure.map(t -> t instanceof CommandExit e ? e.code() : 1).orElse(0);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
