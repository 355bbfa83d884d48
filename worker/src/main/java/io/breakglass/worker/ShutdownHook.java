package io.breakglass.worker;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a process's parts in order when the JVM is asked to stop (SIGTERM from Kubernetes,
 * Ctrl-C), so a worker hands its tasks back before its connection and metrics go away.
 */
public final class ShutdownHook {

  private static final Logger log = LoggerFactory.getLogger(ShutdownHook.class);

  private ShutdownHook() {}

  /**
   * Registers a hook that closes {@code closeInOrder} one after the other; a failure is logged and
   * the next part is still closed.
   *
   * @return the registered hook, for {@link Runtime#removeShutdownHook} when the caller closes the
   *     parts itself
   */
  public static Thread register(String name, AutoCloseable... closeInOrder) {
    Thread hook = new Thread(() -> closeAll(List.of(closeInOrder)), name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private static void closeAll(List<AutoCloseable> closeInOrder) {
    for (AutoCloseable part : closeInOrder) {
      try {
        part.close();
      } catch (Exception e) {
        log.error("could not close {} on shutdown", part, e);
      }
    }
  }
}
