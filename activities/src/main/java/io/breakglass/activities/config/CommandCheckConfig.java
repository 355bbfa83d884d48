package io.breakglass.activities.config;

import java.time.Duration;
import java.util.List;

/**
 * A smoke check of kind {@code command}: a local process, e.g. {@code python3 -m pytest
 * tests/test_security_controls.py}, that passes when it exits with 0. The process gets no secret
 * from Breakglass: its environment is cleared down to {@code PATH}, {@code HOME}, {@code LANG},
 * {@code TMPDIR} and the variables {@code env} names, taken from the worker's environment (never on
 * the command line). Only the last {@code tailLines} lines of its output are recorded, each cut to
 * a bounded length, with the values of the passed variables and any long token-like run of
 * characters redacted.
 *
 * @param argv the program and its arguments; the program is looked up on {@code PATH}
 * @param workingDir the directory it runs in (default: the worker's)
 * @param timeout how long it may run before it is killed and fails (default 5 minutes)
 * @param env names of worker environment variables passed through; Breakglass's own {@code
 *     BREAKGLASS_*} variables are refused
 * @param tailLines how many of its last output lines are recorded (default 20, at most 200)
 */
public record CommandCheckConfig(
    List<String> argv, String workingDir, Duration timeout, List<String> env, Integer tailLines) {

  /** The most output lines a check may record. */
  public static final int MAX_TAIL_LINES = 200;

  public CommandCheckConfig {
    if (argv == null || argv.isEmpty() || argv.stream().anyMatch(a -> a == null || a.isEmpty())) {
      throw new IllegalArgumentException(
          "a command check needs argv: the program and its arguments");
    }
    argv = List.copyOf(argv);
    timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
    env = env == null ? List.of() : List.copyOf(env);
    tailLines = tailLines == null ? 20 : tailLines;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a command check's timeout must be positive");
    }
    if (tailLines < 0 || tailLines > MAX_TAIL_LINES) {
      throw new IllegalArgumentException(
          "a command check's tailLines must be 0 to " + MAX_TAIL_LINES);
    }
    for (String name : env) {
      if (name.startsWith("BREAKGLASS_")) {
        throw new IllegalArgumentException(
            "a command check cannot be given "
                + name
                + ": Breakglass's own variables stay with the worker");
      }
    }
  }

  /** {@code argv} run in the worker's directory with the defaults. */
  public static CommandCheckConfig of(String... argv) {
    return new CommandCheckConfig(List.of(argv), null, null, null, null);
  }
}
