package io.breakglass.api.cli;

import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.worker.ShutdownHook;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevSettings;
import io.breakglass.worker.dev.DevStack;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code dev}: the embedded stack on loopback, waiting for rotations, until Ctrl-C. */
public final class DevCommand extends Command {

  public DevCommand() {
    super("dev", "Runs Breakglass on the embedded stack (loopback only) and waits for rotations");
  }

  @Override
  public void configure(Subparser subparser) {
    EmbeddedOptions.add(subparser, 7233, 9464);
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    PrintStream out = System.out;
    DevStack stack =
        DevStack.start(
            new DevLayout(Path.of(namespace.getString(EmbeddedOptions.DATA))),
            namespace.getInt(EmbeddedOptions.TEMPORAL_PORT),
            namespace.getInt(EmbeddedOptions.METRICS_PORT),
            DevStack.DemoSize.DEFAULT,
            out);
    CountDownLatch stopped = new CountDownLatch(1);
    ShutdownHook.register("breakglass-dev", stack, stopped::countDown);
    DevConfigurationFile.write(stack);
    printHowTo(stack, out);
    stopped.await();
  }

  private static void printHowTo(DevStack stack, PrintStream out) {
    String address = "--address " + stack.temporalTarget();
    String workflow = address + " --workflow-id " + RotationWorkflow.workflowId("r1");
    out.println();
    out.println("Breakglass dev stack is up (Ctrl-C stops it).");
    out.println("  Temporal test server: " + stack.temporalTarget() + ", namespace default, task queue "
        + stack.taskQueue() + " (nothing survives a restart)");
    out.println("  worker metrics:       " + stack.metricsEndpoint());
    out.println("  keyring of backend:   " + stack.layout().keyring(DevSettings.DEPLOYMENT));
    out.println("  configuration:        " + stack.layout().configuration()
        + " (e.g. bin/breakglass verify " + stack.layout().configuration() + ")");
    out.println();
    out.println("Start an emergency rotation of both data keys (Temporal CLI):");
    out.println("  temporal workflow start " + address + " --task-queue " + stack.taskQueue()
        + " --type RotationWorkflow --workflow-id " + RotationWorkflow.workflowId("r1") + " \\");
    out.println("    --input '{\"rotationId\":\"r1\",\"secrets\":[\"" + DevSettings.ARTIFACT_KEY + "\",\""
        + DevSettings.PAYLOAD_KEY + "\"],\"kind\":\"EMERGENCY\",\"initiator\":\"alice\",\"reason\":\"suspected exposure\"}'");
    out.println("Approve a gate (anyone but the initiator; gates are PROCEED, then REVOKE):");
    out.println("  temporal workflow signal " + workflow
        + " --name approve --input '{\"gate\":\"PROCEED\",\"approver\":\"bob\",\"comment\":\"verified\"}'");
    out.println("Confirm each restart of " + DevSettings.DEPLOYMENT + " once its pods are ready:");
    out.println("  temporal workflow signal " + workflow + " --name confirmRestart --input '{\"deployment\":\""
        + DevSettings.DEPLOYMENT + "\",\"operator\":\"olivia\",\"ready\":true,\"comment\":\"pods ready\"}'");
    out.println("Watch it:");
    out.println("  temporal workflow query " + workflow + " --type status");
  }
}
