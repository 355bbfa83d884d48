package io.breakglass.api.cli.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breakglass.api.cli.CommandExit;
import io.breakglass.api.cli.ops.ExitCodes;
import io.breakglass.workflows.RevokeRecoveryWorkflow;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.approval.ApprovalStatement;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.File;
import java.io.PrintStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.MutuallyExclusiveGroup;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

/**
 * {@code approval <sign|keygen>}: signed approval statements for an operator who decides from the
 * Temporal UI or the {@code temporal} CLI, where no identity provider stands behind the call.
 * {@code sign} prints a statement (a compact JWS signed with the approver's registered Ed25519 key)
 * and the signal input to paste; {@code keygen} makes a key and prints the public half for {@code
 * rotation.approvals.keys}. No network, no configuration file. Exit 2 on bad arguments or an
 * unusable key file.
 */
public final class ApprovalCommand extends Command {

  static final String ACTION = "approvalAction";

  /**
   * The longest {@code --expires-in}; the workflow refuses what outlives its configured maximum.
   */
  static final Duration LONGEST = Duration.ofDays(1);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final Clock clock;

  public ApprovalCommand() {
    this(System.out, Clock.systemUTC());
  }

  /** For tests: where output goes, and the clock statements are signed at. */
  public ApprovalCommand(PrintStream out, Clock clock) {
    super(
        "approval",
        "Signs approval statements and makes approval keys, for decisions sent without the API");
    this.out = out;
    this.clock = clock;
  }

  @Override
  public void configure(Subparser subparser) {
    Subparsers actions = subparser.addSubparsers().dest(ACTION).title("actions").metavar("ACTION");

    Subparser sign =
        actions.addParser("sign").help("print a signed statement for one rotation and action");
    sign.addArgument("--key-file")
        .dest("keyFile")
        .type(File.class)
        .required(true)
        .help("your Ed25519 private key, PKCS#8 PEM, readable by you only (chmod 600)");
    sign.addArgument("--key-id")
        .dest("keyId")
        .required(true)
        .help("the id your public key is registered under in rotation.approvals.keys");
    sign.addArgument("--as")
        .dest("person")
        .required(true)
        .help("who you are, as registered with the key");
    sign.addArgument("--rotation").required(true).help("the rotation id");
    MutuallyExclusiveGroup action =
        sign.addMutuallyExclusiveGroup("what it approves").required(true);
    action.addArgument("--gate").help("PROCEED or REVOKE; UNREVOKE for the gate of an un-revoke");
    action
        .addArgument("--start")
        .action(Arguments.storeTrue())
        .help("starting the rotation (initiatorProof)");
    action
        .addArgument("--unrevoke")
        .action(Arguments.storeTrue())
        .help(
            "asking for an un-revoke after the rotation (initiatorProof of RevokeRecoveryWorkflow)");
    sign.addArgument("--verdict").help("APPROVE or REJECT (with --gate)");
    sign.addArgument("--override-preflight")
        .dest("overridePreflight")
        .action(Arguments.storeTrue())
        .help(
            "with --gate PROCEED --verdict APPROVE: an approval that overrides a failed pre-flight"
                + " (PROCEED:OVERRIDE)");
    sign.addArgument("--expires-in")
        .dest("expiresIn")
        .setDefault("PT15M")
        .help("how long the statement counts, ISO-8601 (default PT15M; the configuration caps it)");
    sign.addArgument("--comment")
        .setDefault("")
        .help("put into the signal input printed for the Temporal UI");

    Subparser keygen = actions.addParser("keygen").help("make an Ed25519 approval key");
    keygen
        .addArgument("--out")
        .type(File.class)
        .required(true)
        .help("where the private key goes (a new file, mode 0600)");
    keygen
        .addArgument("--as")
        .dest("person")
        .help("your name, for the configuration snippet printed");
    keygen
        .addArgument("--key-id")
        .dest("keyId")
        .help("the key's id, for the configuration snippet printed");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    switch (namespace.getString(ACTION)) {
      case "sign" -> sign(namespace);
      case "keygen" -> keygen(namespace);
      default -> throw usage("unknown action " + namespace.getString(ACTION));
    }
  }

  private void sign(Namespace namespace) throws CommandExit {
    Target target = target(namespace);
    String person = namespace.getString("person").strip();
    String keyId = namespace.getString("keyId").strip();
    if (person.isEmpty() || keyId.isEmpty()) {
      throw usage("--as and --key-id must not be blank");
    }
    Duration lifetime = lifetime(namespace.getString("expiresIn"));
    PrivateKey key = SigningKeyFile.read(namespace.<File>get("keyFile").toPath());
    Instant now = clock.instant();
    String statement =
        ApprovalStatement.sign(key, keyId, person, target.binding(), now, now.plus(lifetime));
    out.println(statement);
    out.println();
    out.println(target.howToUse(person, namespace.getString("comment"), statement));
    out.println(
        "It counts once, for "
            + target.binding().action()
            + " of rotation "
            + target.binding().rotationId()
            + " only, until "
            + now.plus(lifetime)
            + ".");
  }

  private void keygen(Namespace namespace) throws CommandExit {
    KeyPair keys;
    try {
      keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException("Ed25519 is part of every JDK since 15", missing);
    }
    File file = namespace.get("out");
    SigningKeyFile.write(file.toPath(), keys);
    String publicKey = SigningKeyFile.registered(keys.getPublic());
    String person = namespace.getString("person") == null ? "<you>" : namespace.getString("person");
    String keyId = namespace.getString("keyId") == null ? "<key id>" : namespace.getString("keyId");
    out.println(publicKey);
    out.println();
    out.println("private key written to " + file + " (mode 0600); register the public key:");
    out.println(
        "rotation:\n  approvals:\n    keys:\n      "
            + person
            + ":\n        "
            + keyId
            + ": "
            + publicKey);
  }

  /** What a statement vouches for, and where its proof goes. */
  private record Target(
      ProofBinding binding,
      String workflowId,
      String signal,
      GateName gate,
      Verdict verdict,
      boolean override) {

    Target(ProofBinding binding, String workflowId, String signal, GateName gate, Verdict verdict) {
      this(binding, workflowId, signal, gate, verdict, false);
    }

    String howToUse(String person, String comment, String statement) {
      if (signal == null) {
        return "paste it as \"initiatorProof\" into the start input of workflow "
            + workflowId
            + " (initiator \""
            + person
            + "\")";
      }
      ObjectNode input = JSON.createObjectNode().put("gate", gate.name()).put("approver", person);
      input.put(verdict == Verdict.APPROVE ? "comment" : "reason", comment);
      input.put("proof", statement);
      if (override) {
        input.put("overridePreflight", true);
      }
      return "paste as the input of signal \""
          + signal
          + "\" of workflow "
          + workflowId
          + " (Temporal UI: Send a Signal; or temporal workflow signal --workflow-id "
          + workflowId
          + " --name "
          + signal
          + " --input '…'):\n"
          + input;
    }
  }

  private static Target target(Namespace namespace) throws CommandExit {
    String rotation = namespace.getString("rotation");
    String gate = namespace.getString("gate");
    String verdict = namespace.getString("verdict");
    if (namespace.getBoolean("start") || namespace.getBoolean("unrevoke")) {
      if (verdict != null || Boolean.TRUE.equals(namespace.getBoolean("overridePreflight"))) {
        throw usage("--verdict and --override-preflight go with --gate only");
      }
      return namespace.getBoolean("start")
          ? new Target(
              ProofBinding.start(rotation), RotationWorkflow.workflowId(rotation), null, null, null)
          : new Target(
              ProofBinding.unrevoke(rotation),
              RevokeRecoveryWorkflow.workflowId(rotation),
              null,
              null,
              null);
    }
    if (verdict == null) {
      throw usage("--gate needs --verdict APPROVE or REJECT");
    }
    Verdict chosen = choice(Verdict.class, verdict, "--verdict");
    String signal = chosen == Verdict.APPROVE ? "approve" : "reject";
    if (gate.equalsIgnoreCase(ProofBinding.UNREVOKE)) {
      return new Target(
          ProofBinding.unrevokeGate(rotation, chosen),
          RevokeRecoveryWorkflow.workflowId(rotation),
          signal,
          GateName.REVOKE,
          chosen);
    }
    GateName named = choice(GateName.class, gate, "--gate");
    if (Boolean.TRUE.equals(namespace.getBoolean("overridePreflight"))) {
      if (chosen != Verdict.APPROVE) {
        throw usage("--override-preflight goes with --verdict APPROVE");
      }
      return new Target(
          ProofBinding.override(rotation, named),
          RotationWorkflow.workflowId(rotation),
          signal,
          named,
          chosen,
          true);
    }
    return new Target(
        ProofBinding.gate(rotation, named, chosen),
        RotationWorkflow.workflowId(rotation),
        signal,
        named,
        chosen);
  }

  private static <E extends Enum<E>> E choice(Class<E> type, String value, String option)
      throws CommandExit {
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw usage(
          option
              + " "
              + value
              + " is not one of "
              + java.util.Arrays.toString(type.getEnumConstants())
              + (type == GateName.class ? " or UNREVOKE" : ""));
    }
  }

  private static Duration lifetime(String text) throws CommandExit {
    Duration lifetime;
    try {
      lifetime = Duration.parse(text);
    } catch (DateTimeParseException notIso) {
      throw usage("--expires-in must be an ISO-8601 duration such as PT15M, not " + text);
    }
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(LONGEST) > 0) {
      throw usage("--expires-in must be positive and at most " + LONGEST);
    }
    return lifetime;
  }

  private static CommandExit usage(String reason) {
    return new CommandExit(ExitCodes.USAGE, reason);
  }
}
