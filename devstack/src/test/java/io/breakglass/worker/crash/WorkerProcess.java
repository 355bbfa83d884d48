package io.breakglass.worker.crash;

import io.breakglass.activities.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;

/** A {@link WorkerMain} running in a process of its own. */
final class WorkerProcess implements AutoCloseable {

  /** How long a worker may take to reach its stop point: the rotation's phases up to REENCRYPT. */
  private static final Duration TO_STOP_POINT = Duration.ofMinutes(2);

  private final String identity;
  private final ChildJvm jvm;
  private final Path marker;

  WorkerProcess(String identity, ChildJvm jvm, Path marker) {
    this.identity = identity;
    this.jvm = jvm;
    this.marker = marker;
  }

  /** Returns once the worker polls its task queue; fails if it exits first. */
  void awaitReady() throws Exception {
    jvm.awaitLine(WorkerMain.READY + identity);
  }

  /** Returns once the worker halted at its stop point; fails if it exits first. */
  void awaitStopPoint() throws Exception {
    jvm.awaitMarker(marker, TO_STOP_POINT);
  }

  /** {@code kill -9}: the worker gets no chance to finish, report or clean up anything. */
  void kill() {
    jvm.kill();
  }

  /** Kills the worker if it still runs. */
  @Override
  public void close() {
    jvm.close();
  }
}
