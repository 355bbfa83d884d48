package io.breakglass.worker.crash;

import io.breakglass.activities.testing.ChildJvm;
import java.nio.file.Path;

/** {@link TemporalServerMain} running in a process of its own, on a free loopback port. */
final class ServerProcess implements AutoCloseable {

  private final ChildJvm jvm;
  private final String target;

  private ServerProcess(ChildJvm jvm, String target) {
    this.jvm = jvm;
    this.target = target;
  }

  /** Starts the server, its output in {@code log}, and returns once it accepts connections. */
  static ServerProcess start(Path log) throws Exception {
    ChildJvm jvm = ChildJvm.start(TemporalServerMain.class, log, "0");
    try {
      String ready = jvm.awaitLine(TemporalServerMain.READY);
      return new ServerProcess(jvm, ready.substring(TemporalServerMain.READY.length()).strip());
    } catch (Exception | AssertionError e) {
      jvm.close();
      throw e;
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  String target() {
    return target;
  }

  /** Kills the server; everything it held is gone. */
  @Override
  public void close() {
    jvm.close();
  }
}
