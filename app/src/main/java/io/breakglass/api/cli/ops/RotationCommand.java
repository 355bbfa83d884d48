package io.breakglass.api.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breakglass.api.cli.CommandExit;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Argument;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

/**
 * {@code rotation <start|status|approve|reject|halt|resume|report>}: an operator's commands against
 * a running operator API ({@code --api}), as the caller whose bearer token is in {@code
 * BREAKGLASS_TOKEN} or {@code --token-file}. {@code start}, {@code approve} and {@code reject} send
 * a proof of who acts when asked to ({@link ProofOptions}). Exits with {@link ExitCodes}, printing
 * the API's message on a refusal.
 */
public final class RotationCommand extends Command {

  static final String ACTION = "rotationAction";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final Map<String, String> environment;
  private final Duration pollEvery;

  /** The command as the jar runs it: standard output, the process environment, a 2 s poll. */
  public RotationCommand() {
    this(System.out, System.getenv(), Duration.ofSeconds(2));
  }

  /** For tests: where output goes, the environment the token may come from, the poll interval. */
  public RotationCommand(PrintStream out, Map<String, String> environment, Duration pollEvery) {
    super(
        "rotation",
        "Starts, watches, approves, rejects, halts and resumes rotations through the operator API");
    this.out = out;
    this.environment = environment;
    this.pollEvery = pollEvery;
  }

  @Override
  public void configure(Subparser subparser) {
    Subparsers actions = subparser.addSubparsers().dest(ACTION).title("actions").metavar("ACTION");

    Subparser start = connection(actions.addParser("start").help("start a rotation (operator)"));
    start.addArgument("id").help("the rotation id: lower-case letters, digits and dashes");
    start
        .addArgument("--secret")
        .dest("secrets")
        .action(Arguments.append())
        .required(true)
        .help("a configured secret to rotate (repeatable)");
    start
        .addArgument("--reason")
        .required(true)
        .help("why, for the timeline and the notifications");
    start
        .addArgument("--kind")
        .setDefault("EMERGENCY")
        .choices("EMERGENCY", "ROUTINE", "emergency", "routine")
        .help("EMERGENCY (default) or ROUTINE");
    start
        .addArgument("--approvals")
        .type(Integer.class)
        .help("approvers per gate (default: the configured policy)");
    start
        .addArgument("--gate-timeout")
        .dest("gateTimeout")
        .help("how long each gate waits, ISO-8601 (e.g. PT4H)");
    ProofOptions.addTo(start);

    Subparser status =
        connection(
            actions
                .addParser("status")
                .help("show a rotation (exit 6 if it rolled back or failed)"));
    status.addArgument("id");
    status
        .addArgument("--watch")
        .action(Arguments.storeTrue())
        .help("show progress bars until the rotation ends or waits for a human");
    status.addArgument("--wait").action(Arguments.storeTrue()).help("wait until the rotation ends");

    for (String verdict : List.of("approve", "reject")) {
      Subparser decide =
          connection(actions.addParser(verdict).help(verdict + " the open gate (approver)"));
      decide.addArgument("id");
      decide.addArgument("--gate").help("PROCEED or REVOKE (default: the gate that is open)");
      decide
          .addArgument("--comment")
          .required(true)
          .help("why, for the timeline and the audit log");
      if (verdict.equals("approve")) {
        decide
            .addArgument("--override-preflight")
            .dest("overridePreflight")
            .action(Arguments.storeTrue())
            .help(
                "approve the proceed gate knowingly although its pre-flight failed (a firing alert,"
                    + " Prometheus not answering); the proof is made for PROCEED:OVERRIDE");
      }
      ProofOptions.addTo(decide);
    }

    Subparser halt =
        connection(
            actions.addParser("halt").help("finish the step in flight, then wait (operator)"));
    halt.addArgument("id");
    halt.addArgument("--comment").required(true);

    Subparser resume =
        connection(
            actions.addParser("resume").help("answer what a waiting rotation asks (operator)"));
    resume.addArgument("id");
    resume
        .addArgument("--action")
        .required(true)
        .help(
            "CONTINUE, RETRY, ROLLBACK, RESTORE_AND_ROLLBACK or SKIP_STEP (status lists what applies)");
    resume.addArgument("--comment").required(true);

    Subparser report =
        connection(actions.addParser("report").help("the incident report, Markdown (or --json)"));
    report.addArgument("id");
    report.addArgument("--json").action(Arguments.storeTrue());
  }

  private static Subparser connection(Subparser parser) {
    parser
        .addArgument("--api")
        .setDefault("http://127.0.0.1:8080")
        .help("the operator API (default http://127.0.0.1:8080, where dev serves it)");
    Argument tokenFile = parser.addArgument("--token-file").dest("tokenFile").type(File.class);
    tokenFile.help(
        "a file holding the bearer token (default: the "
            + BearerToken.VARIABLE
            + " environment variable)");
    return parser;
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    File tokenFile = namespace.get("tokenFile");
    ApiClient api =
        new ApiClient(
            URI.create(withSlash(namespace.getString("api"))),
            BearerToken.read(tokenFile == null ? null : tokenFile.toPath(), environment));
    String id = namespace.getString("id");
    switch (namespace.getString(ACTION)) {
      case "start" -> start(api, namespace);
      case "status" -> status(api, id, namespace.getBoolean("watch"), namespace.getBoolean("wait"));
      case "approve" -> decide(api, id, "approve", namespace);
      case "reject" -> decide(api, id, "reject", namespace);
      case "halt" -> control(api, id, "halt", comment(namespace));
      case "resume" -> {
        ObjectNode body = comment(namespace);
        body.put("action", namespace.getString("action").toUpperCase(Locale.ROOT));
        control(api, id, "resume", body);
      }
      case "report" -> report(api, id, namespace.getBoolean("json"));
      default ->
          throw new CommandExit(ExitCodes.USAGE, "unknown action " + namespace.getString(ACTION));
    }
  }

  private void start(ApiClient api, Namespace namespace) throws CommandExit {
    ProofOptions proof = ProofOptions.from(namespace);
    ObjectNode body = JSON.createObjectNode();
    body.put("rotationId", namespace.getString("id"));
    namespace.<String>getList("secrets").forEach(body.putArray("secrets")::add);
    body.put("kind", namespace.getString("kind").toUpperCase(Locale.ROOT));
    body.put("reason", namespace.getString("reason"));
    if (namespace.getInt("approvals") != null) {
      body.put("requiredApprovals", namespace.getInt("approvals"));
    }
    if (namespace.getString("gateTimeout") != null) {
      body.put("gateTimeout", namespace.getString("gateTimeout"));
    }
    if (proof.given()) {
      body.put(
          "initiatorProof",
          proof.proofFor(ProofBinding.start(namespace.getString("id")), api, out));
    }
    ApiAnswer answer = api.post("api/rotations", body.toString()).orExit();
    JsonNode started = answer.json();
    out.println(
        (started.path("created").asBoolean() ? "started rotation " : "rotation already started: ")
            + started.path("rotationId").asText()
            + " (workflow "
            + started.path("workflowId").asText()
            + ")");
  }

  private void status(ApiClient api, String id, boolean watch, boolean waitForEnd)
      throws CommandExit {
    StatusView view = read(api, id);
    if (!watch && !waitForEnd) {
      view.full().forEach(out::println);
      exitIfBad(view);
      return;
    }
    String shown = "";
    while (!view.ended() && (waitForEnd || !view.waitsForAHuman())) {
      String now = String.join("\n", view.progress());
      if (!now.equals(shown) && !now.isEmpty()) {
        out.println(view.headline());
        view.progress().forEach(line -> out.println("  " + line));
        shown = now;
      }
      pause();
      view = read(api, id);
    }
    out.println(view.headline());
    view.waitingFor().forEach(line -> out.println("  " + line));
    view.progress().forEach(line -> out.println("  " + line));
    exitIfBad(view);
  }

  private void decide(ApiClient api, String id, String verdict, Namespace namespace)
      throws CommandExit {
    ProofOptions proof = ProofOptions.from(namespace);
    String gate = namespace.getString("gate");
    if (gate == null) {
      gate = read(api, id).openGate();
      if (gate == null) {
        throw new CommandExit(
            ExitCodes.REFUSED, "rotation " + id + " has no open gate; nothing to " + verdict);
      }
    }
    ObjectNode body = comment(namespace);
    boolean override = Boolean.TRUE.equals(namespace.getBoolean("overridePreflight"));
    if (override) {
      body.put("overridePreflight", true);
    }
    if (proof.given()) {
      body.put("proof", proof.proofFor(binding(id, gate, verdict, override), api, out));
    }
    ApiAnswer answer =
        api.post(
                "api/rotations/"
                    + path(id)
                    + "/gates/"
                    + path(gate.toUpperCase(Locale.ROOT))
                    + "/"
                    + verdict,
                body.toString())
            .orExit();
    JsonNode view = answer.json();
    out.println(
        verdict
            + "d gate "
            + view.path("gate").asText()
            + " of rotation "
            + id
            + ": "
            + view.path("state").asText()
            + ", "
            + view.path("approvals").size()
            + "/"
            + view.path("required").asInt()
            + " approvals");
  }

  /**
   * What a proof for this decision vouches for; an unknown gate is the caller's mistake (exit 2).
   */
  private static ProofBinding binding(String id, String gate, String verdict, boolean override)
      throws CommandExit {
    GateName name;
    try {
      name = GateName.valueOf(gate.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandExit(ExitCodes.USAGE, "no gate " + gate + "; gates are PROCEED and REVOKE");
    }
    return override
        ? ProofBinding.override(id, name)
        : ProofBinding.gate(id, name, verdict.equals("approve") ? Verdict.APPROVE : Verdict.REJECT);
  }

  private void control(ApiClient api, String id, String action, ObjectNode body)
      throws CommandExit {
    JsonNode accepted =
        api.post("api/rotations/" + path(id) + "/" + action, body.toString()).orExit().json();
    out.println(accepted.path("message").asText(action + " sent"));
  }

  private void report(ApiClient api, String id, boolean json) throws CommandExit {
    ApiAnswer answer =
        json
            ? api.get("api/rotations/" + path(id) + "/report.json", "application/json").orExit()
            : api.get("api/rotations/" + path(id) + "/report.md", "text/markdown").orExit();
    out.print(answer.body());
    out.flush();
  }

  private static StatusView read(ApiClient api, String id) throws CommandExit {
    return new StatusView(api.get("api/rotations/" + path(id), "application/json").orExit().json());
  }

  private static void exitIfBad(StatusView view) throws CommandExit {
    if (view.endedBadly()) {
      throw new CommandExit(ExitCodes.ROTATION_FAILED, "the rotation ended " + view.state());
    }
  }

  private static ObjectNode comment(Namespace namespace) {
    return JSON.createObjectNode().put("comment", namespace.getString("comment"));
  }

  private void pause() throws CommandExit {
    try {
      Thread.sleep(pollEvery.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandExit(ExitCodes.UNAVAILABLE, "interrupted");
    }
  }

  private static String withSlash(String api) {
    return api.endsWith("/") ? api : api + "/";
  }

  /** A path segment as typed; the API refuses ids of another shape with its own message. */
  private static String path(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The reason on one line, without a stack trace: the exit code tells the rest. */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("rotation " + namespace.getString(ACTION) + ": " + e.getMessage());
  }
}
