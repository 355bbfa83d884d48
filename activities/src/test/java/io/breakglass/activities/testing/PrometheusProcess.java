package io.breakglass.activities.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A real Prometheus (Debian's {@code prometheus}, installed by {@code bin/install-prerequisites})
 * on loopback, unprivileged: a temporary configuration scraping {@code targets} every second, its
 * storage in a temporary folder, a free port. {@link #stop()} kills it (the port stays this
 * instance's, so {@link #start()} brings it back at the same URL with empty storage); {@link
 * #close()} kills it for good.
 */
public final class PrometheusProcess implements AutoCloseable {

  private static final Duration READY_WITHIN = Duration.ofSeconds(30);

  private final Path folder;
  private final int port;
  private Process process;
  private int starts;

  private PrometheusProcess(Path folder, String scrapeConfigs) throws IOException {
    this.folder = folder;
    this.port = freePort();
    Files.writeString(
        folder.resolve("prometheus.yml"),
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
        """
            + scrapeConfigs);
  }

  /** Starts Prometheus scraping {@code targets} and waits until it is ready. */
  public static PrometheusProcess start(Path folder, List<String> targets) throws Exception {
    return startScraping(
        folder,
        """
          - job_name: sample
            static_configs:
              - targets: [%s]
        """
            .formatted(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList())));
  }

  /**
   * Starts Prometheus with {@code scrapeConfigs}, the YAML list items under {@code scrape_configs}
   * (indented by two), and waits until it is ready.
   */
  public static PrometheusProcess startScraping(Path folder, String scrapeConfigs)
      throws Exception {
    PrometheusProcess prometheus = new PrometheusProcess(folder, scrapeConfigs);
    prometheus.start();
    return prometheus;
  }

  /** Starts (again) on the same port with empty storage; waits until ready. */
  public void start() throws Exception {
    Path storage = folder.resolve("data-" + ++starts);
    process =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + folder.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + storage,
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve("prometheus-" + starts + ".log").toFile())
            .start();
    awaitReady();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Kills it; queries then find nothing listening. */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(url().resolve("/-/ready")).timeout(Duration.ofSeconds(1)).build();
    try {
      await("prometheus ready")
          .atMost(READY_WITHIN)
          .pollInterval(Duration.ofMillis(50))
          .failFast("prometheus exited", () -> !process.isAlive())
          .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
          .until(
              () -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    } catch (ConditionTimeoutException | TerminalFailureException notReady) {
      throw new IllegalStateException(
          notReady.getMessage()
              + ":\n"
              + Files.readString(folder.resolve("prometheus-" + starts + ".log")),
          notReady);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
