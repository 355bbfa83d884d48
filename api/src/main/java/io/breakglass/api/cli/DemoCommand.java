package io.breakglass.api.cli;

import io.breakglass.worker.dev.DemoRotation;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevStack;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import java.time.Duration;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code demo}: the dev stack plus one complete emergency rotation of both data keys, played by
 * demo approvers and a demo operator. Exits 0 only if every check passed; can run again on the
 * same data folder (it rotates on from the current versions). With {@code --sample-service} the
 * sample service is the {@code backend} deployment, and no request of its clients may fail.
 */
public final class DemoCommand extends Command {

  private static final String TIMEOUT = "timeout";
  private static final String SAMPLE_SERVICE = "sampleService";

  public DemoCommand() {
    super("demo", "Runs one complete emergency rotation of both data keys on the embedded stack");
  }

  @Override
  public void configure(Subparser subparser) {
    EmbeddedOptions.add(subparser, 0, 0, 0);
    subparser
        .addArgument("--timeout")
        .dest(TIMEOUT)
        .setDefault("PT10M")
        .help("how long the rotation may take (ISO-8601, default PT10M)");
    subparser
        .addArgument("--sample-service")
        .dest(SAMPLE_SERVICE)
        .action(Arguments.storeTrue())
        .help("run the sample service as the backend deployment: reloaded, smoke-checked, under a light"
            + " load during the rotation, and metric-watched when prometheus is on the PATH");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    DemoRotation.Outcome outcome;
    DevLayout layout = new DevLayout(Path.of(namespace.getString(EmbeddedOptions.DATA)));
    int apiPort = DevCommand.loopbackPort(0);
    try (DevStack stack =
        DevStack.start(
            layout,
            EmbeddedOptions.temporal(namespace, apiPort),
            namespace.getInt(EmbeddedOptions.METRICS_PORT),
            DevStack.DemoSize.DEFAULT,
            System.out,
            namespace.getBoolean(SAMPLE_SERVICE))) {
      try (LoopbackApi api = startApi(bootstrap, stack, apiPort)) {
        outcome = new DemoRotation(stack, System.out).run(Duration.parse(namespace.getString(TIMEOUT)));
      }
    }
    if (!outcome.passed()) {
      throw new DemoFailedException(outcome.problems().toString());
    }
  }

  /**
   * The operator API and console on free loopback ports while the demo runs, so it can be watched
   * (and its gates seen) in the console with the demo users' tokens.
   */
  private static LoopbackApi startApi(Bootstrap<?> bootstrap, DevStack stack, int apiPort) throws Exception {
    DevUsers users = DevUsers.create();
    users.write(stack.layout().users());
    Path configuration =
        DevConfigurationFile.write(stack, users, apiPort, DevCommand.loopbackPort(0), true);
    LoopbackApi api = LoopbackApi.start(bootstrap, configuration);
    System.out.println("Watch it in the console: http://127.0.0.1:" + apiPort
        + "/console/ (tokens in " + stack.layout().users() + ")");
    stack.temporal().webUi().ifPresent(ui -> System.out.println("Watch it in the Temporal Web UI: " + ui
        + "/namespaces/default/workflows (payloads decoded through the codec server)"));
    return api;
  }

  /** Prints the reason only: the report above it already says what happened. */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("demo failed: " + e.getMessage());
  }

  /** The demo's checks did not all pass. */
  static final class DemoFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    DemoFailedException(String problems) {
      super(problems);
    }
  }
}
