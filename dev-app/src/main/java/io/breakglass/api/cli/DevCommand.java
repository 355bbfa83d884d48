package io.breakglass.api.cli;

import io.breakglass.worker.ShutdownHook;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.worker.dev.DevStack;
import io.breakglass.workflows.RotationWorkflow;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code dev}: the embedded stack on loopback with a worker and the operator API, waiting for
 * rotations, until Ctrl-C. Temporal is the real server with its Web UI when the Temporal CLI is
 * installed, else the test server ({@code --temporal}). The API's demo users and their tokens are
 * in {@code <data>/dev-users.json}.
 */
public final class DevCommand extends Command {

  public DevCommand() {
    super("dev", "Runs Breakglass on the embedded stack (loopback only) and waits for rotations");
  }

  private static final String API_PORT = "apiPort";
  private static final String ADMIN_PORT = "adminPort";

  @Override
  public void configure(Subparser subparser) {
    EmbeddedOptions.add(subparser, 7233, 8233, 9464);
    subparser
        .addArgument("--api-port")
        .dest(API_PORT)
        .type(Integer.class)
        .setDefault(8080)
        .help("port of the operator API on 127.0.0.1 (default 8080; 0: any free port)");
    subparser
        .addArgument("--admin-port")
        .dest(ADMIN_PORT)
        .type(Integer.class)
        .setDefault(8081)
        .help("port of the API's health checks and metrics on 127.0.0.1 (default 8081)");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    PrintStream out = System.out;
    int apiPort = loopbackPort(namespace.getInt(API_PORT));
    int adminPort = loopbackPort(namespace.getInt(ADMIN_PORT));
    DevStack stack =
        DevStack.start(
            new DevLayout(Path.of(namespace.getString(EmbeddedOptions.DATA))),
            EmbeddedOptions.temporal(namespace, apiPort),
            namespace.getInt(EmbeddedOptions.METRICS_PORT),
            DevStack.DemoSize.DEFAULT,
            out,
            false);
    CountDownLatch stopped = new CountDownLatch(1);
    ShutdownHook.register("breakglass-dev", stack, stopped::countDown);
    DevUsers users = DevUsers.create();
    users.write(stack.layout().users());
    Path configuration = DevConfigurationFile.write(stack, users, apiPort, adminPort);
    LoopbackApi.start(bootstrap, configuration);
    out.println();
    out.println(
        "Operator API: http://127.0.0.1:"
            + apiPort
            + "/api (health and metrics: http://127.0.0.1:"
            + adminPort
            + "/healthcheck, /prometheus)");
    out.println("  users and their bearer tokens: " + stack.layout().users());
    out.println(
        "  TOKEN=$(jq -r '.users[] | select(.name==\"dev-operator\") | .token' "
            + stack.layout().users()
            + ")");
    out.println(
        "  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:"
            + apiPort
            + "/api/rotations");
    out.println(
        "Console: http://127.0.0.1:" + apiPort + "/console/ (paste a token from the users file)");
    printHowTo(stack, apiPort, out);
    stopped.await();
  }

  /** {@code port}, or a free loopback port when it is 0 (the API's URL must be printable). */
  static int loopbackPort(int port) throws IOException {
    if (port != 0) {
      return port;
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void printHowTo(DevStack stack, int apiPort, PrintStream out) {
    String address = "--address " + stack.temporalTarget();
    String workflow = address + " --workflow-id " + RotationWorkflow.workflowId("r1");
    out.println();
    out.println("Breakglass dev stack is up (Ctrl-C stops it).");
    out.println("  " + stack.temporal().describe() + ", task queue " + stack.taskQueue());
    stack
        .temporal()
        .webUi()
        .ifPresent(
            ui ->
                out.println(
                    "  Temporal Web UI:      "
                        + ui
                        + " (payloads decoded through http://127.0.0.1:"
                        + apiPort
                        + "/codec)"));
    out.println("  worker metrics:       " + stack.metricsEndpoint());
    out.println("  keyring of backend:   " + stack.layout().keyring(DevSettings.DEPLOYMENT));
    out.println(
        "  configuration:        "
            + stack.layout().configuration()
            + " (API), "
            + stack.layout().workerConfiguration()
            + " (worker: e.g. bin/breakglass verify "
            + stack.layout().workerConfiguration()
            + ")");
    out.println();
    out.println("Start an emergency rotation of both data keys (Temporal CLI):");
    out.println(
        "  temporal workflow start "
            + address
            + " --task-queue "
            + stack.taskQueue()
            + " --type RotationWorkflow --workflow-id "
            + RotationWorkflow.workflowId("r1")
            + " \\");
    out.println(
        "    --input '{\"rotationId\":\"r1\",\"secrets\":[\""
            + DevSettings.ARTIFACT_KEY
            + "\",\""
            + DevSettings.PAYLOAD_KEY
            + "\"],\"kind\":\"EMERGENCY\",\"initiator\":\"alice\",\"reason\":\"suspected exposure\"}'");
    out.println("Approve a gate (anyone but the initiator; gates are PROCEED, then REVOKE):");
    out.println(
        "  temporal workflow signal "
            + workflow
            + " --name approve --input '{\"gate\":\"PROCEED\",\"approver\":\"bob\",\"comment\":\"verified\"}'");
    out.println("Confirm each restart of " + DevSettings.DEPLOYMENT + " once its pods are ready:");
    out.println(
        "  temporal workflow signal "
            + workflow
            + " --name confirmRestart --input '{\"deployment\":\""
            + DevSettings.DEPLOYMENT
            + "\",\"operator\":\"olivia\",\"ready\":true,\"comment\":\"pods ready\"}'");
    out.println(
        "Watch it (payloads are encrypted by the codec: the CLI decodes them through the API):");
    out.println(
        "  temporal workflow query "
            + workflow
            + " --type status --codec-endpoint http://127.0.0.1:"
            + apiPort
            + "/codec --codec-auth \"Bearer $TOKEN\"");
  }
}
