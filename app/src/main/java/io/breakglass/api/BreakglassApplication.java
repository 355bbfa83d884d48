package io.breakglass.api;

import io.breakglass.api.cli.AdoptCommand;
import io.breakglass.api.cli.CommandExit;
import io.breakglass.api.cli.ConfigurationCheckCommand;
import io.breakglass.api.cli.DoctorCommand;
import io.breakglass.api.cli.VerifyCommand;
import io.breakglass.api.cli.WorkerCommand;
import io.breakglass.api.cli.approval.ApprovalCommand;
import io.breakglass.api.cli.ops.RotationCommand;
import io.breakglass.api.codec.CodecServer;
import io.breakglass.api.logging.SafeLogLines;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import net.sourceforge.argparse4j.inf.ArgumentParserException;

/**
 * The production jar, {@code breakglass.jar}: {@code server}, {@code worker}, {@code verify},
 * {@code check}, {@code adopt}, {@code rotation} and {@code approval}. It carries neither the
 * Temporal test server nor embedded PostgreSQL; {@code dev}, {@code demo}, {@code bench} and {@code
 * sample-service} are in {@code breakglass-dev.jar}, which adds them to these.
 *
 * <pre>
 *   java -jar breakglass.jar server api.yml       the operator API (a Temporal client; workers run apart)
 *   java -jar breakglass.jar worker worker.yml    a worker against a real Temporal and database
 *   java -jar breakglass.jar verify worker.yml    scan every protected item (writes nothing)
 *   java -jar breakglass.jar check worker.yml     validate a worker or API file and flag missing safeguards
 *   java -jar breakglass.jar approval sign ...    a signed approval statement to paste into the Temporal UI
 * </pre>
 */
public class BreakglassApplication extends Application<BreakglassConfiguration> {

  static {
    // Before any log layout starts, the bootstrap logging of this class's constructor included.
    SafeLogLines.install();
  }

  public static void main(String[] args) throws Exception {
    // The JDK's HttpServer (metrics endpoint, sample service) keeps Nagle's algorithm on unless
    // told otherwise: with delayed ACKs every small answer then waits about 40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    new BreakglassApplication().run(args);
  }

  @Override
  public String getName() {
    return "breakglass";
  }

  @Override
  public void initialize(Bootstrap<BreakglassConfiguration> bootstrap) {
    // ${VAR} in the YAML comes from the environment; an unset variable is an error, not "".
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    bootstrap.addCommand(new WorkerCommand());
    bootstrap.addCommand(new VerifyCommand());
    bootstrap.addCommand(new DoctorCommand());
    bootstrap.addCommand(new AdoptCommand());
    bootstrap.addCommand(new RotationCommand());
    bootstrap.addCommand(new ApprovalCommand());
  }

  /** {@code server} (the operator API) and {@code check}. */
  @Override
  protected void addDefaultCommands(Bootstrap<BreakglassConfiguration> bootstrap) {
    bootstrap.addCommand(new ServerCommand<>(this));
    bootstrap.addCommand(new ConfigurationCheckCommand());
  }

  /**
   * A command's chosen exit code (see {@link CommandExit}); 2 for bad arguments; 1 for any other
   * failure.
   */
  @Override
  protected void onFatalError(Throwable failure) {
    System.exit(
        failure instanceof CommandExit exit
            ? exit.code()
            : failure instanceof ArgumentParserException ? 2 : 1);
  }

  /**
   * The operator API and the Temporal UI's codec server; {@code server} runs them, and {@code dev}
   * runs them beside its worker.
   */
  @Override
  public void run(BreakglassConfiguration configuration, Environment environment) {
    OperatorApi.register(configuration, environment);
    CodecServer.register(configuration, environment);
  }
}
