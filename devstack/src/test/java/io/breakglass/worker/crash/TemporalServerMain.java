package io.breakglass.worker.crash;

import io.breakglass.worker.embedded.EmbeddedTemporal;

/**
 * The embedded Temporal test server in a JVM of its own, so that killing a worker process leaves it
 * running: {@code TemporalServerMain <port>} (0 picks a free one) prints {@value #READY} followed
 * by its target, then serves until its standard input ends or it is killed.
 */
public final class TemporalServerMain {

  /** The start of the line printed once the server accepts connections. */
  static final String READY = "TEMPORAL READY ";

  private TemporalServerMain() {}

  public static void main(String[] args) throws Exception {
    try (EmbeddedTemporal server = EmbeddedTemporal.start(Integer.parseInt(args[0]))) {
      System.out.println(READY + server.target());
      System.out.flush();
      while (System.in.read() != -1) {
        // serve until the test closes our input (or dies, which closes it too)
      }
    }
  }
}
