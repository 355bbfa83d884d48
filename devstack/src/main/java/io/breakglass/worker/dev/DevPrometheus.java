package io.breakglass.worker.dev;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Prometheus for the demo ({@code bin/install-prerequisites --demo} installs Debian's): on
 * loopback, scraping its targets every second, with its storage in a temporary folder that {@link
 * #close()} deletes (nothing of a demo's metrics is worth keeping).
 */
final class DevPrometheus implements AutoCloseable {

  static final String BINARY = "prometheus";
  private static final Duration READY_WITHIN = Duration.ofSeconds(30);

  private final Process process;
  private final Path folder;
  private final int port;

  private DevPrometheus(Process process, Path folder, int port) {
    this.process = process;
    this.folder = folder;
    this.port = port;
  }

  /** The {@value #BINARY} executable on {@code PATH}, if there is one. */
  static Optional<Path> binary() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, BINARY))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Starts {@code binary} on {@code 127.0.0.1:port}, scraping {@code targets} ({@code host:port}),
   * and waits until it is ready.
   */
  static DevPrometheus start(Path binary, int port, List<String> targets) {
    Path folder;
    Process process;
    try {
      folder = Files.createTempDirectory("breakglass-prometheus");
      Files.writeString(
          folder.resolve("prometheus.yml"),
          """
          global:
            scrape_interval: 1s
            scrape_timeout: 1s
          scrape_configs:
            - job_name: demo
              static_configs:
                - targets: [%s]
          """
              .formatted(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList())));
      process =
          new ProcessBuilder(
                  binary.toString(),
                  "--config.file=" + folder.resolve("prometheus.yml"),
                  "--storage.tsdb.path=" + folder.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(folder.resolve("prometheus.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    DevPrometheus prometheus = new DevPrometheus(process, folder, port);
    try {
      prometheus.awaitReady();
    } catch (InterruptedException e) {
      prometheus.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for prometheus", e);
    } catch (RuntimeException e) {
      prometheus.close();
      throw e;
    }
    return prometheus;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteQuietly(folder);
  }

  private void awaitReady() throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(url().resolve("/-/ready")).timeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "prometheus exited with "
                + process.exitValue()
                + "; its log: "
                + folder.resolve("prometheus.log"));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("prometheus not ready within " + READY_WITHIN);
  }

  private static void deleteQuietly(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder: the system cleans it up in the end
    }
  }
}
