package io.breakglass.activities.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A test-scope {@code main} class running in its own JVM, on this test's classpath, with its output
 * in a log file. Its standard input stays open while this handle lives, so a child may treat end of
 * input as "the test is gone". {@link #close()} kills it if it still runs.
 */
public final class ChildJvm implements AutoCloseable {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code main} with {@code args}; its standard output and error go to {@code log}. */
  public static ChildJvm start(Class<?> main, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1"); // starts faster; these children run briefly
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ChildJvm(process, log);
  }

  /** Waits until the child creates {@code marker}; fails if it exits first. */
  public void awaitMarker(Path marker) throws Exception {
    awaitMarker(marker, PATIENCE);
  }

  /**
   * Waits up to {@code patience} until the child creates {@code marker}; fails if it exits first.
   */
  public void awaitMarker(Path marker, Duration patience) throws Exception {
    awaitChild(marker.toString(), patience, Duration.ofMillis(5), () -> Files.exists(marker));
  }

  /** Waits until a line of the child's output starts with {@code prefix}; returns that line. */
  public String awaitLine(String prefix) throws Exception {
    awaitChild(
        "a line starting with '" + prefix + "'",
        PATIENCE,
        Duration.ofMillis(20),
        () -> line(prefix) != null);
    return line(prefix);
  }

  private String line(String prefix) throws IOException {
    return Files.readAllLines(log).stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElse(null);
  }

  /** Waits until {@code reached}; fails with the child's output if it exits first or is late. */
  private void awaitChild(
      String awaited, Duration patience, Duration poll, Callable<Boolean> reached)
      throws IOException {
    try {
      await(awaited)
          .atMost(patience)
          .pollInterval(poll)
          .failFast("child exited", () -> !process.isAlive() && !reached.call())
          .until(reached);
    } catch (TerminalFailureException exited) {
      fail("child exited with " + process.exitValue() + " before " + awaited + ":\n" + output());
    } catch (ConditionTimeoutException late) {
      fail("child did not reach " + awaited + ":\n" + output());
    }
  }

  /** SIGKILL: no shutdown hook, no finally block, no flush runs in the child. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the child to finish and fails unless it succeeded. */
  public void awaitSuccess() throws Exception {
    if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      fail("child still running after " + PATIENCE + ":\n" + output());
    }
    if (process.exitValue() != 0) {
      fail("child exited with " + process.exitValue() + ":\n" + output());
    }
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
