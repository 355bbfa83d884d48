package io.breakglass.api.cli;

import io.breakglass.worker.dev.DemoRotation;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevStack;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import java.time.Duration;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code demo}: the dev stack plus one complete emergency rotation of both data keys, played by
 * demo approvers and a demo operator. Exits 0 only if every check passed; can run again on the
 * same data folder (it rotates on from the current versions).
 */
public final class DemoCommand extends Command {

  private static final String TIMEOUT = "timeout";

  public DemoCommand() {
    super("demo", "Runs one complete emergency rotation of both data keys on the embedded stack");
  }

  @Override
  public void configure(Subparser subparser) {
    EmbeddedOptions.add(subparser, 0, 0);
    subparser
        .addArgument("--timeout")
        .dest(TIMEOUT)
        .setDefault("PT10M")
        .help("how long the rotation may take (ISO-8601, default PT10M)");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    DemoRotation.Outcome outcome;
    try (DevStack stack =
        DevStack.start(
            new DevLayout(Path.of(namespace.getString(EmbeddedOptions.DATA))),
            namespace.getInt(EmbeddedOptions.TEMPORAL_PORT),
            namespace.getInt(EmbeddedOptions.METRICS_PORT),
            DevStack.DemoSize.DEFAULT,
            System.out)) {
      outcome = new DemoRotation(stack, System.out).run(Duration.parse(namespace.getString(TIMEOUT)));
    }
    if (!outcome.passed()) {
      throw new DemoFailedException(outcome.problems().toString());
    }
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
