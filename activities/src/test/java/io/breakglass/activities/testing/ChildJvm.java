package io.breakglass.activities.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test-scope {@code main} class running in its own JVM, on this test's classpath, with its
 * output in a log file. Its standard input stays open while this handle lives, so a child may
 * treat end of input as "the test is gone". {@link #close()} kills it if it still runs.
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

  /** Waits up to {@code patience} until the child creates {@code marker}; fails if it exits first. */
  public void awaitMarker(Path marker, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!Files.exists(marker)) {
      failIfGoneOrLate(deadline, marker.toString());
      Thread.sleep(5);
    }
  }

  /** Waits until a line of the child's output starts with {@code prefix}; returns that line. */
  public String awaitLine(String prefix) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      failIfGoneOrLate(deadline, "a line starting with '" + prefix + "'");
      Thread.sleep(20);
    }
  }

  private void failIfGoneOrLate(long deadline, String awaited) throws IOException {
    if (!process.isAlive()) {
      fail("child exited with " + process.exitValue() + " before " + awaited + ":\n" + output());
    }
    if (System.nanoTime() > deadline) {
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
