package io.breakglass.api.cli;

import io.breakglass.activities.config.SecretConfig;
import io.breakglass.api.core.Doctor;
import io.breakglass.api.core.RotationRecordReconciler;
import io.breakglass.worker.dev.DemoRotation;
import io.breakglass.worker.dev.DevLayout;
import io.breakglass.worker.dev.DevStack;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code demo}: the dev stack plus one complete emergency rotation of both data keys, played by
 * demo approvers and a demo operator, through the whole runbook: the sample service is the {@code
 * backend} deployment under light traffic (no request may fail), checked by the HTTP smoke checks
 * and watched by METRIC_WATCH through a Prometheus on loopback. Without {@code prometheus} on the
 * PATH it stops before starting anything, saying so; {@code --minimal} is the reduced demo without
 * the service. Exits 0 only if every check passed and {@code doctor} finds nothing left for a human
 * afterwards; can run again on the same data folder (it rotates on from the current versions). A
 * run killed mid-rotation is settled by the next: its rotation, when the real Temporal server kept
 * it, is driven to its end; otherwise a new one revokes what it left.
 */
public final class DemoCommand extends Command {

  private static final String TIMEOUT = "timeout";
  private static final String MINIMAL = "minimal";

  /** Why the whole runbook cannot run here, and the two ways on. */
  static final String NO_PROMETHEUS =
      "no prometheus on the PATH, and the demo's METRIC_WATCH needs one: bin/install-prerequisites --demo"
          + " installs Debian's (apt-get, as root or with sudo); bin/breakglass demo --minimal runs the reduced"
          + " demo without the sample service, its smoke checks and METRIC_WATCH";

  /**
   * What {@code --minimal} leaves out, printed first so no one mistakes it for the whole runbook.
   */
  static final String MINIMAL_LINE =
      "reduced demo (--minimal): no sample service, so no HTTP smoke checks, no traffic and METRIC_WATCH"
          + " skipped; bin/breakglass demo without --minimal runs the whole runbook";

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
        .addArgument("--minimal")
        .dest(MINIMAL)
        .action(Arguments.storeTrue())
        .help(
            "the reduced demo: no sample service, so no HTTP smoke checks, no traffic and no METRIC_WATCH"
                + " (which needs prometheus on the PATH)");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    boolean minimal = namespace.getBoolean(MINIMAL);
    if (minimal) {
      System.out.println(MINIMAL_LINE);
    } else if (DevStack.prometheus().isEmpty()) {
      throw new DemoFailedException(NO_PROMETHEUS);
    }
    DemoRotation.Outcome outcome;
    List<String> leftAfter;
    DevLayout layout = new DevLayout(Path.of(namespace.getString(EmbeddedOptions.DATA)));
    int apiPort = DevCommand.loopbackPort(0);
    try (DevStack stack =
        DevStack.start(
            layout,
            EmbeddedOptions.temporal(namespace, apiPort),
            namespace.getInt(EmbeddedOptions.METRICS_PORT),
            DevStack.DemoSize.DEFAULT,
            System.out,
            !minimal)) {
      Doctor doctor = doctor(stack);
      List<String> leftBefore = doctor.check(List.of()).findings();
      if (!leftBefore.isEmpty()) {
        System.out.println("doctor: an earlier run left this behind, which the demo settles:");
        leftBefore.forEach(f -> System.out.println("  - " + f));
      }
      try (LoopbackApi api = startApi(bootstrap, stack, apiPort)) {
        outcome =
            new DemoRotation(stack, System.out).run(Duration.parse(namespace.getString(TIMEOUT)));
      }
      leftAfter = doctor.check(List.of()).findings();
    }
    System.out.println(
        leftAfter.isEmpty() ? "doctor: nothing needs a human" : "doctor: " + leftAfter);
    if (!outcome.passed()) {
      throw new DemoFailedException(outcome.problems().toString());
    }
    if (!leftAfter.isEmpty()) {
      throw new DemoFailedException("doctor found what needs a human: " + leftAfter);
    }
  }

  /**
   * The {@code doctor} check of every configured secret and of the rotation records: before the
   * demo it reports (and closes the record of) what a killed earlier run left; after it, nothing
   * may be left.
   */
  private static Doctor doctor(DevStack stack) {
    return new Doctor(
        stack.store(),
        stack.settings().secrets().stream().map(SecretConfig::name).toList(),
        new RotationRecordReconciler(stack.client(), stack.history(), Clock.systemUTC()));
  }

  /**
   * The operator API and console on free loopback ports while the demo runs, so it can be watched
   * (and its gates seen) in the console with the demo users' tokens.
   */
  private static LoopbackApi startApi(Bootstrap<?> bootstrap, DevStack stack, int apiPort)
      throws Exception {
    DevUsers users = DevUsers.create();
    users.write(stack.layout().users());
    Path configuration =
        DevConfigurationFile.write(stack, users, apiPort, DevCommand.loopbackPort(0), true);
    LoopbackApi api = LoopbackApi.start(bootstrap, configuration);
    System.out.println(
        "Watch it in the console: http://127.0.0.1:"
            + apiPort
            + "/console/ (tokens in "
            + stack.layout().users()
            + ")");
    stack
        .temporal()
        .webUi()
        .ifPresent(
            ui ->
                System.out.println(
                    "Watch it in the Temporal Web UI: "
                        + ui
                        + "/namespaces/default/workflows (payloads decoded through the codec server)"));
    return api;
  }

  /** Prints the reason only: the report above it already says what happened. */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("demo failed: " + e.getMessage());
  }

  /** The demo's checks did not all pass, or it could not start. */
  static final class DemoFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    DemoFailedException(String reason) {
      super(reason);
    }
  }
}
