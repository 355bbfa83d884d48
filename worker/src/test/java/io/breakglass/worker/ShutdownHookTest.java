package io.breakglass.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownHookTest {

  @Test
  void givenAPartThatFailsToClose_theHookStillClosesTheRestInOrder() throws InterruptedException {
    List<String> closed = new ArrayList<>();
    AutoCloseable worker = () -> closed.add("worker");
    AutoCloseable broken =
        () -> {
          closed.add("connection");
          throw new IllegalStateException("already closed");
        };
    AutoCloseable metrics = () -> closed.add("metrics");

    Thread hook = ShutdownHook.register("test", worker, broken, metrics);
    try {
      // On its own thread, as the JVM runs it at exit.
      hook.start();
      hook.join();
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
    }

    assertThat(closed).containsExactly("worker", "connection", "metrics");
  }
}
