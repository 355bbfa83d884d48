package io.breakglass.worker.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The service's admin calls, answered on loopback only and with {@code Authorization: Bearer
 * <reloadToken>}: {@code POST /admin/reload} re-reads the keyring file (what a restart does) and
 * answers the keyring now in use; {@code POST /admin/faults} {@code {"egressFailures":true}}
 * switches the injected egress fault on or off (for tests of the metric checks).
 */
final class AdminRoutes implements HttpHandler {

  static final String PATH = "/admin/";

  private final byte[] token;
  private final LoadedKeyring keyring;
  private final EventLog log;
  private final ServiceMetrics metrics;

  AdminRoutes(String token, LoadedKeyring keyring, EventLog log, ServiceMetrics metrics) {
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.keyring = keyring;
    this.log = log;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
      HttpReplies.status(exchange, 403);
      return;
    }
    String presented = exchange.getRequestHeaders().getFirst("Authorization");
    if (presented == null
        || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
      HttpReplies.status(exchange, 401);
      return;
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      HttpReplies.status(exchange, 405);
      return;
    }
    switch (exchange.getRequestURI().getPath()) {
      case PATH + "reload" -> reload(exchange);
      case PATH + "faults" -> faults(exchange);
      default -> HttpReplies.status(exchange, 404);
    }
  }

  private void reload(HttpExchange exchange) throws IOException {
    ServiceKeyring loaded;
    try {
      loaded = keyring.reload();
    } catch (RuntimeException e) {
      // The service keeps running with the keyring it had, as a pod that fails to start would.
      log.write("keyring.reload_failed", Map.of("error", e.getClass().getSimpleName()));
      HttpReplies.json(exchange, 503, Map.of("error", "keyring not reloaded: " + e.getMessage()));
      return;
    }
    Map<String, Map<String, Object>> view = loaded.describe();
    log.write("keyring.reloaded", Map.of("keyring", view));
    HttpReplies.json(exchange, 200, Map.of("keyring", view));
  }

  private void faults(HttpExchange exchange) throws IOException {
    JsonNode body = HttpReplies.JSON.readTree(exchange.getRequestBody().readAllBytes());
    boolean on = body != null && body.path("egressFailures").asBoolean(false);
    metrics.injectEgressFailures(on);
    log.write("faults.set", Map.of("egress_failures", on));
    HttpReplies.json(exchange, 200, Map.of("egressFailures", on));
  }
}
