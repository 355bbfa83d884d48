package io.breakglass.worker.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sample service's clients at work: a writer that uploads charts and writes AI snapshots in
 * turn, and a reader that reads back, at random, anything written so far and checks it is what was
 * written. Either counts a request that answers anything else (another status, other content, no
 * answer) as failed; a failure is described by method, path and status, never by content. The
 * end-to-end test and the demo use it to show that a rotation costs the service no request.
 * Thread-safe.
 */
public final class SampleTraffic implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int FAILURES_KEPT = 20;
  private static final Duration NOTHING_TO_READ = Duration.ofMillis(10);

  /**
   * Requests so far.
   *
   * @param writes writes answered as expected
   * @param reads reads answered with what was written
   * @param failedWrites writes answered otherwise, or not at all
   * @param failedReads reads answered otherwise, or not at all
   */
  public record Counts(long writes, long reads, long failedWrites, long failedReads) {

    /** The requests made since {@code earlier}. */
    public Counts since(Counts earlier) {
      return new Counts(
          writes - earlier.writes, reads - earlier.reads,
          failedWrites - earlier.failedWrites, failedReads - earlier.failedReads);
    }

    public long failures() {
      return failedWrites + failedReads;
    }
  }

  /** Something written, and what reading it back must give. */
  private record Written(String path, byte[] content, boolean chart) {}

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final URI service;
  private final Duration pause;
  private final List<Written> written = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong failedWrites = new AtomicLong();
  private final AtomicLong failedReads = new AtomicLong();
  private final Thread writer;
  private final Thread reader;
  private volatile boolean stopped;

  private SampleTraffic(URI service, Duration pause) {
    this.service = service;
    this.pause = pause;
    this.writer = new Thread(this::write, "sample-writer");
    this.reader = new Thread(this::read, "sample-reader");
  }

  /**
   * Starts the writer and the reader against the service at {@code service}, each waiting {@code
   * pause} between its requests (zero: as fast as the service answers).
   */
  public static SampleTraffic start(URI service, Duration pause) {
    SampleTraffic traffic = new SampleTraffic(service, pause);
    for (Thread thread : List.of(traffic.writer, traffic.reader)) {
      thread.setDaemon(true);
      thread.start();
    }
    return traffic;
  }

  public Counts counts() {
    return new Counts(writes.get(), reads.get(), failedWrites.get(), failedReads.get());
  }

  /** The first failures, as {@code GET /snapshots/17 answered 500}. */
  public List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  /** Stops both threads after their request in flight. */
  @Override
  public void close() throws InterruptedException {
    stopped = true;
    writer.join(REQUEST_TIMEOUT.toMillis() * 2);
    reader.join(REQUEST_TIMEOUT.toMillis() * 2);
  }

  private void write() {
    for (long n = 0; !stopped; n++) {
      boolean chart = n % 2 == 0;
      String path = chart ? "/charts/traffic-patient-" + (n % 50) : "/snapshots";
      byte[] content =
          (chart
                  ? "synthetic chart " + n + " "
                  : "{\"traffic\":" + n + ",\"model\":\"sample-traffic\"}")
              .getBytes(StandardCharsets.UTF_8);
      String failure =
          attempt(
              "POST " + path,
              () -> {
                HttpResponse<byte[]> answer =
                    send(
                        HttpRequest.newBuilder(service.resolve(path))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(content)));
                if (answer.statusCode() != 201) {
                  return "POST " + path + " answered " + answer.statusCode();
                }
                JsonNode stored = JSON.readTree(answer.body());
                String readPath =
                    chart
                        ? "/charts/" + stored.path("artifact").asText()
                        : "/snapshots/" + stored.path("id").asText();
                synchronized (written) {
                  written.add(new Written(readPath, content, chart));
                }
                return null;
              });
      count(failure, writes, failedWrites);
      pause(pause);
    }
  }

  private void read() {
    while (!stopped) {
      Written item;
      synchronized (written) {
        item =
            written.isEmpty()
                ? null
                : written.get(ThreadLocalRandom.current().nextInt(written.size()));
      }
      if (item != null) {
        String failure =
            attempt(
                "GET " + item.path(),
                () -> {
                  HttpResponse<byte[]> answer =
                      send(HttpRequest.newBuilder(service.resolve(item.path())).GET());
                  if (answer.statusCode() != 200) {
                    return "GET " + item.path() + " answered " + answer.statusCode();
                  }
                  boolean same =
                      item.chart()
                          ? Arrays.equals(answer.body(), item.content())
                          : JSON.readTree(answer.body())
                              .path("snapshot")
                              .equals(JSON.readTree(item.content()));
                  return same ? null : "GET " + item.path() + " answered other content";
                });
        count(failure, reads, failedReads);
      }
      pause(item == null ? NOTHING_TO_READ : pause);
    }
  }

  /** What a request does: null when it went as expected, else its description. */
  private interface Request {
    String run() throws IOException, InterruptedException;
  }

  private String attempt(String what, Request request) {
    try {
      return request.run();
    } catch (IOException e) {
      return what + " got no answer: " + e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
      return what + " interrupted";
    }
  }

  private void count(String failure, AtomicLong succeeded, AtomicLong failed) {
    if (failure == null) {
      succeeded.incrementAndGet();
      return;
    }
    failed.incrementAndGet();
    synchronized (failures) {
      if (failures.size() < FAILURES_KEPT) {
        failures.add(failure);
      }
    }
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(
        request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private void pause(Duration duration) {
    if (duration.isZero() || stopped) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }
}
