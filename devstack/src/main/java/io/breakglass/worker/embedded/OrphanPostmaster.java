package io.breakglass.worker.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server still running on a data folder after the process that started it died.
 *
 * <p>{@code pg_ctl start} detaches the server, so it outlives a {@code kill -9} of the JVM (zonky's
 * shutdown hook only runs on an orderly exit). It keeps {@code postmaster.pid}, and the next start
 * on the folder then fails with "lock file postmaster.pid already exists". Called while zonky holds
 * its lock on the folder, so no live embedded instance owns that server.
 */
final class OrphanPostmaster {

  private static final long STOP_WAIT_SECONDS = 60;

  private static final Logger log = LoggerFactory.getLogger(OrphanPostmaster.class);

  private OrphanPostmaster() {}

  /** Stops the server recorded in {@code dataDirectory/postmaster.pid} if it still runs there. */
  static void stopIfRunning(File dataDirectory) {
    Path data = dataDirectory.toPath();
    Optional<ProcessHandle> orphan = recordedPid(data).flatMap(ProcessHandle::of);
    if (orphan.isEmpty() || !servesFolder(orphan.get(), data)) {
      // No pid file, or a stale one: PostgreSQL replaces a stale pid file by itself.
      return;
    }
    ProcessHandle postmaster = orphan.get();
    log.warn(
        "PostgreSQL (pid {}) is still running on {} after its process ended; stopping it",
        postmaster.pid(),
        data);
    requestFastShutdown(postmaster);
    try {
      postmaster.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping PostgreSQL on " + data, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "PostgreSQL (pid " + postmaster.pid() + ") on " + data + " did not stop", e);
    }
  }

  private static Optional<Long> recordedPid(Path data) {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pidFile, e);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** True only for a {@code postgres} process started with {@code -D <this folder>}. */
  private static boolean servesFolder(ProcessHandle process, Path data) {
    ProcessHandle.Info info = process.info();
    boolean postgres = info.command().map(c -> c.endsWith("/postgres")).orElse(false);
    List<String> args = info.arguments().map(Arrays::asList).orElse(List.of());
    int flag = args.indexOf("-D");
    return postgres
        && flag >= 0
        && flag + 1 < args.size()
        && Path.of(args.get(flag + 1)).toAbsolutePath().normalize().equals(data);
  }

  /**
   * SIGINT is PostgreSQL's fast shutdown (disconnect clients, checkpoint, exit); Java can only send
   * SIGTERM, the smart shutdown that waits for every client to leave.
   */
  private static void requestFastShutdown(ProcessHandle postmaster) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid()))
              .redirectErrorStream(true)
              .start();
      if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
        return;
      }
    } catch (IOException e) {
      log.debug("no kill command; falling back to SIGTERM", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    postmaster.destroy();
  }
}
