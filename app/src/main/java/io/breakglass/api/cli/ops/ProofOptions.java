package io.breakglass.api.cli.ops;

import io.breakglass.api.cli.CommandExit;
import io.breakglass.api.cli.approval.SigningKeyFile;
import io.breakglass.api.wire.Proofs;
import io.breakglass.workflows.approval.ApprovalStatement;
import io.breakglass.workflows.approval.ProofBinding;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * How {@code rotation start|approve|reject} prove who acts: {@code --key-file} and {@code --key-id}
 * sign an approval statement for exactly this rotation and action, valid for {@code --proof-ttl};
 * {@code --proof} or {@code --proof-file} pass one made elsewhere (an ID token whose nonce binds
 * it, or a statement from {@code approval sign}). Without any of them the request carries no proof.
 * The statement's subject is the caller as the API knows it ({@code GET /api/me}) unless {@code
 * --as} names it.
 */
final class ProofOptions {

  /** How long a statement the CLI signs counts when {@code --proof-ttl} is not given. */
  static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  /**
   * The longest {@code --proof-ttl}: a statement is for this action now, not a standing permission.
   */
  static final Duration LONGEST_TTL = Duration.ofHours(1);

  private final Path keyFile;
  private final String keyId;
  private final String proof;
  private final Path proofFile;
  private final String ttl;
  private final String subject;

  private ProofOptions(Namespace namespace) {
    File key = namespace.get("keyFile");
    File file = namespace.get("proofFile");
    this.keyFile = key == null ? null : key.toPath();
    this.keyId = namespace.getString("keyId");
    this.proof = namespace.getString("proof");
    this.proofFile = file == null ? null : file.toPath();
    this.ttl = namespace.getString("proofTtl");
    this.subject = namespace.getString("as");
  }

  /** Adds the options to {@code parser}. */
  static void addTo(Subparser parser) {
    parser
        .addArgument("--key-file")
        .dest("keyFile")
        .type(File.class)
        .help(
            "your Ed25519 private key (PKCS#8 PEM, owner-only): sign a statement for this action");
    parser
        .addArgument("--key-id")
        .dest("keyId")
        .help("the id your public key is registered under (with --key-file)");
    parser
        .addArgument("--proof-ttl")
        .dest("proofTtl")
        .help("how long the signed statement counts, ISO-8601 (default PT10M, at most PT1H)");
    parser
        .addArgument("--as")
        .dest("as")
        .help(
            "the name the statement speaks for (default: your name as the API knows it, GET /api/me)");
    parser
        .addArgument("--proof")
        .help(
            "a ready proof (compact JWS): an ID token bound to this action, or a signed statement");
    parser
        .addArgument("--proof-file")
        .dest("proofFile")
        .type(File.class)
        .help("a file holding a ready proof (keeps it out of the process list)");
  }

  /** The options as given; refuses combinations that cannot mean anything (exit 2). */
  static ProofOptions from(Namespace namespace) throws CommandExit {
    ProofOptions options = new ProofOptions(namespace);
    int sources =
        (options.keyFile != null ? 1 : 0)
            + (options.proof != null ? 1 : 0)
            + (options.proofFile != null ? 1 : 0);
    if (sources > 1) {
      throw new CommandExit(ExitCodes.USAGE, "give one of --key-file, --proof and --proof-file");
    }
    if (options.keyFile == null
        && (options.keyId != null || options.ttl != null || options.subject != null)) {
      throw new CommandExit(ExitCodes.USAGE, "--key-id, --proof-ttl and --as go with --key-file");
    }
    if (options.keyFile != null && (options.keyId == null || options.keyId.isBlank())) {
      throw new CommandExit(
          ExitCodes.USAGE, "--key-file needs --key-id: the id your public key is registered under");
    }
    return options;
  }

  /** Whether any proof was asked for; without one the request goes unsigned. */
  boolean given() {
    return keyFile != null || proof != null || proofFile != null;
  }

  /**
   * The proof to send for {@code binding}, when {@link #given()}. The key is read (and its
   * permissions checked) before anything is signed; a statement says on {@code out} what it vouches
   * for.
   */
  String proofFor(ProofBinding binding, ApiClient api, PrintStream out) throws CommandExit {
    if (proof != null) {
      return ready(proof, "--proof");
    }
    if (proofFile != null) {
      try {
        return ready(
            Files.readString(proofFile, StandardCharsets.US_ASCII).strip(),
            "--proof-file " + proofFile);
      } catch (IOException e) {
        throw new CommandExit(
            ExitCodes.USAGE,
            "cannot read the proof file " + proofFile + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    Duration lifetime = lifetime();
    PrivateKey key = SigningKeyFile.read(keyFile);
    String signer =
        subject != null
            ? subject
            : api.get("api/me", "application/json").orExit().json().path("name").asText();
    Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    String statement = ApprovalStatement.sign(key, keyId, signer, binding, now, now.plus(lifetime));
    out.println(
        "signed a statement by "
            + signer
            + " for "
            + binding.action()
            + " of rotation "
            + binding.rotationId()
            + " (key "
            + keyId
            + ", counts until "
            + now.plus(lifetime)
            + ")");
    return statement;
  }

  private Duration lifetime() throws CommandExit {
    if (ttl == null) {
      return DEFAULT_TTL;
    }
    Duration lifetime;
    try {
      lifetime = Duration.parse(ttl);
    } catch (DateTimeParseException e) {
      throw new CommandExit(
          ExitCodes.USAGE, "--proof-ttl " + ttl + " is not an ISO-8601 duration (e.g. PT10M)");
    }
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(LONGEST_TTL) > 0) {
      throw new CommandExit(
          ExitCodes.USAGE, "--proof-ttl must be positive and at most " + LONGEST_TTL);
    }
    return lifetime;
  }

  private static String ready(String proof, String from) throws CommandExit {
    if (proof.length() > Proofs.MAX_LENGTH || !proof.matches(Proofs.COMPACT_JWS)) {
      throw new CommandExit(
          ExitCodes.USAGE, "the proof from " + from + " " + Proofs.COMPACT_JWS_RULE);
    }
    return proof;
  }
}
