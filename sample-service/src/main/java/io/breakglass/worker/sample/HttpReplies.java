package io.breakglass.worker.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Writing answers on an exchange: JSON documents, raw bytes, empty statuses. */
final class HttpReplies {

  static final ObjectMapper JSON = new ObjectMapper();

  private HttpReplies() {}

  static void json(HttpExchange exchange, int status, Object document) throws IOException {
    bytes(exchange, status, "application/json", JSON.writeValueAsBytes(document));
  }

  static void bytes(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** An answer without a body, e.g. 404 or 405. */
  static void status(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }
}
