package io.breakglass.workflows;

import io.temporal.testing.TestWorkflowEnvironment;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Closes the per-test time-skipping servers off the test thread. Closing one waits for its workers'
 * shutdown, 0.3 to 0.5 s of polling inside the SDK, which was over a third of the workflow-logic
 * tier's time; no assertion depends on it, and each test has its own server, activities and
 * workers, so the next test shares nothing with the one still closing.
 */
final class TestServers {

  /** One daemon thread: closes run in order, and an unfinished one never holds the JVM. */
  private static final ExecutorService CLOSER =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "test-server-closer");
            thread.setDaemon(true);
            return thread;
          });

  private TestServers() {}

  /** Shuts {@code env}'s workers down now and closes it in the background. */
  static void close(TestWorkflowEnvironment env) {
    env.shutdownNow();
    CLOSER.execute(env::close);
  }
}
