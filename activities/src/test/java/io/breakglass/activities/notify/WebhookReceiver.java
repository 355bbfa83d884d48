package io.breakglass.activities.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 that records every POST and answers with scripted statuses (200
 * once the script runs out).
 */
final class WebhookReceiver implements AutoCloseable {

  /** One request as received. */
  record Received(Map<String, List<String>> headers, String body) {

    String header(String name) {
      return headers.entrySet().stream()
          .filter(h -> h.getKey().equalsIgnoreCase(name))
          .map(h -> String.join(",", h.getValue()))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final Deque<Integer> statuses = new ArrayDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  WebhookReceiver(Integer... statuses) {
    this.statuses.addAll(List.of(statuses));
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            received.add(
                new Received(
                    Map.copyOf(exchange.getRequestHeaders()),
                    new String(body.readAllBytes(), StandardCharsets.UTF_8)));
          }
          exchange.sendResponseHeaders(nextStatus(), -1);
          exchange.close();
        });
    server.start();
  }

  private synchronized int nextStatus() {
    return statuses.isEmpty() ? 200 : statuses.poll();
  }

  /** The URL to configure, with {@code path} appended. */
  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
