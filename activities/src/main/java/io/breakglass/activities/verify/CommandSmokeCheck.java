package io.breakglass.activities.verify;

import io.breakglass.activities.config.CommandCheckConfig;
import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.workflows.activities.VerificationActivities.CheckResult;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a smoke check of kind {@code command}: the process passes when it exits with 0 within its
 * timeout. It gets no secret from Breakglass (its environment is cleared down to a few basics and
 * the variables the check names), and only the redacted, bounded tail of its output is recorded
 * (see {@link OutputTail}). A process past its timeout is killed with its children and fails.
 */
final class CommandSmokeCheck {

  /**
   * What a command check's process keeps of the worker's environment besides the names it lists.
   */
  static final List<String> BASIC_VARIABLES = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR");

  private final Function<String, String> environment;
  private final Duration heartbeatEvery;

  /**
   * @param environment the worker's environment, where the variables a check names are read
   */
  CommandSmokeCheck(Function<String, String> environment) {
    this(environment, Duration.ofSeconds(5));
  }

  CommandSmokeCheck(Function<String, String> environment, Duration heartbeatEvery) {
    this.environment = environment;
    this.heartbeatEvery = heartbeatEvery;
  }

  /** Runs {@code check}, calling {@code heartbeat} every few seconds while it runs. */
  CheckResult run(HttpCheckConfig check, Runnable heartbeat) {
    CommandCheckConfig command = check.command();
    String call = OutputTail.redactTokens(String.join(" ", command.argv()));
    // stdin is empty: a check that asks for input fails instead of waiting for its timeout.
    ProcessBuilder builder =
        new ProcessBuilder(command.argv())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (command.workingDir() != null) {
      builder.directory(new File(command.workingDir()));
    }
    Map<String, String> env = builder.environment();
    env.clear();
    List<String> passed = new ArrayList<>();
    for (String name : BASIC_VARIABLES) {
      String value = environment.apply(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    for (String name : command.env()) {
      String value = environment.apply(name);
      if (value == null) {
        return new CheckResult(
            check.name(), false, call + ": environment variable " + name + " is not set");
      }
      env.put(name, value);
      passed.add(value);
    }
    OutputTail tail = new OutputTail(command.tailLines(), passed);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new CheckResult(check.name(), false, call + ": cannot start (" + e.getMessage() + ")");
    }
    Thread reader =
        new Thread(
            () -> {
              try {
                tail.read(process.getInputStream());
              } catch (IOException | UncheckedIOException e) {
                tail.add("(output unreadable: " + e.getClass().getSimpleName() + ")");
              }
            },
            "smoke-check-output");
    reader.setDaemon(true);
    reader.start();
    try {
      long deadline = System.nanoTime() + command.timeout().toNanos();
      while (!process.waitFor(
          Math.min(heartbeatEvery.toNanos(), Math.max(0, deadline - System.nanoTime())),
          TimeUnit.NANOSECONDS)) {
        if (System.nanoTime() >= deadline) {
          kill(process);
          reader.join(heartbeatEvery.toMillis());
          return new CheckResult(
              check.name(),
              false,
              call + ": killed after its timeout of " + command.timeout() + "; " + tail.describe());
        }
        heartbeat.run();
      }
      reader.join(heartbeatEvery.toMillis());
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      return new CheckResult(check.name(), false, call + ": interrupted");
    }
    int exit = process.exitValue();
    return new CheckResult(
        check.name(), exit == 0, call + " exited with " + exit + "; " + tail.describe());
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
