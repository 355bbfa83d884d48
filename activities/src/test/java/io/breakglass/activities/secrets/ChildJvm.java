package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link StoreChild} running in its own JVM, on this test's classpath. */
final class ChildJvm implements AutoCloseable {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildJvm start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1"); // starts faster; these children run briefly
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StoreChild.class.getName());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ChildJvm(process, log);
  }

  /** Waits until the child creates {@code marker}; fails if it exits first. */
  void awaitMarker(Path marker) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!Files.exists(marker)) {
      if (!process.isAlive()) {
        fail("child exited with " + process.exitValue() + " before " + marker + ":\n" + output());
      }
      if (System.nanoTime() > deadline) {
        fail("child did not reach " + marker + ":\n" + output());
      }
      Thread.sleep(5);
    }
  }

  /** SIGKILL: no shutdown hook, no finally block, no flush runs in the child. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the child to finish and fails unless it succeeded. */
  void awaitSuccess() throws Exception {
    if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      fail("child still running after " + PATIENCE + ":\n" + output());
    }
    if (process.exitValue() != 0) {
      fail("child exited with " + process.exitValue() + ":\n" + output());
    }
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
