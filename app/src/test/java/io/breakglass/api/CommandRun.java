package io.breakglass.api;

import io.breakglass.api.cli.CommandExit;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * One subcommand of the application run in-process, as {@code breakglass <arguments>} runs it: the
 * exit code the application would exit with ({@link CommandExit}'s, 1 for any other failure, 0),
 * and what it printed.
 *
 * @param exit the exit code
 * @param out standard output, with what the command printed to the stream it was given
 * @param err standard error
 */
public record CommandRun(int exit, String out, String err) {

  /**
   * Runs {@code arguments} (the subcommand's name first) with the subcommand {@code command} makes
   * for the stream it prints to, reading configuration files through {@code sources}.
   */
  public static CommandRun of(
      ConfigurationSourceProvider sources,
      Function<PrintStream, Command> command,
      String... arguments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Bootstrap<BreakglassConfiguration> bootstrap = new Bootstrap<>(new BreakglassApplication());
    bootstrap.setConfigurationSourceProvider(sources);
    bootstrap.addCommand(command.apply(new PrintStream(out, true, StandardCharsets.UTF_8)));
    Optional<Throwable> failure =
        new Cli(new JarLocation(BreakglassApplication.class), bootstrap, out, err).run(arguments);
    int exit = failure.map(t -> t instanceof CommandExit e ? e.code() : 1).orElse(0);
    return new CommandRun(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
