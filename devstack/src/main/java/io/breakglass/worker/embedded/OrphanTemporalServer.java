package io.breakglass.worker.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No {@code temporal server start-dev} outlives the JVM that started it: a watchdog stops it when
 * that JVM dies without stopping it, and one still running on a database file (its JVM killed
 * before the watchdog acted) is stopped before the next start on that file.
 */
final class OrphanTemporalServer {

  private static final long STOP_SECONDS = 15;

  private static final Logger log = LoggerFactory.getLogger(OrphanTemporalServer.class);

  private OrphanTemporalServer() {}

  /**
   * A shell that waits for this JVM to end and then stops the server: a JVM killed with {@code kill
   * -9} runs no shutdown hook, and the server would keep its ports and database file.
   */
  static Process watch(long serverPid) {
    long jvm = ProcessHandle.current().pid();
    String script =
        "while kill -0 "
            + jvm
            + " 2>/dev/null && kill -0 "
            + serverPid
            + " 2>/dev/null; do sleep 1; done;"
            + " kill -TERM "
            + serverPid
            + " 2>/dev/null; sleep 10; kill -KILL "
            + serverPid
            + " 2>/dev/null";
    try {
      return new ProcessBuilder("sh", "-c", script)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the watchdog of the Temporal server", e);
    }
  }

  /** Stops a {@code temporal server start-dev} still running on {@code database}. */
  static void stopIfRunning(Path database) {
    ProcessHandle.allProcesses()
        .filter(p -> servesDatabase(p, database))
        .forEach(
            p -> {
              log.warn(
                  "a Temporal server (pid {}) still runs on {}; stopping it", p.pid(), database);
              p.destroy();
              try {
                p.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
              } catch (ExecutionException | TimeoutException notStopped) {
                p.destroyForcibly();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
              }
            });
  }

  private static boolean servesDatabase(ProcessHandle process, Path database) {
    List<String> args = process.info().arguments().map(Arrays::asList).orElse(List.of());
    int flag = args.indexOf("--db-filename");
    return args.contains("start-dev")
        && flag >= 0
        && flag + 1 < args.size()
        && Path.of(args.get(flag + 1)).toAbsolutePath().normalize().equals(database);
  }
}
