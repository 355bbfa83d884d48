package io.breakglass.worker.embedded;

import java.nio.file.Path;

/**
 * {@code DevServerMain <temporal cli> <folder>}: starts {@link TemporalDevServer} in a JVM of its
 * own, prints {@value #READY} and the server's process id, then runs until it is killed.
 */
public final class DevServerMain {

  static final String READY = "DEV SERVER PID ";

  private DevServerMain() {}

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[1]);
    TemporalDevServer server =
        TemporalDevServer.start(
            TemporalDevServer.Options.of(
                Path.of(args[0]), folder.resolve("child.db"), folder.resolve("child.log")));
    System.out.println(READY + server.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
