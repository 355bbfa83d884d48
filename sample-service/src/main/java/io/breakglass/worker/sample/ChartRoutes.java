package io.breakglass.worker.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.breakglass.activities.crypto.Envelope;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /charts/{patientId}} (body: the chart) stores a chart under the keyring's primary and
 * answers {@code {"artifact":..,"keyId":..}}; {@code GET /charts/{artifact}} answers the chart,
 * decrypted with the version its envelope names, and its key id in {@code X-Key-Id}.
 */
final class ChartRoutes implements HttpHandler {

  static final String PATH = "/charts/";

  private final String secret;
  private final ChartFolder charts;
  private final LoadedKeyring keyring;
  private final PatientHash patientHash;
  private final EventLog log;
  private final ServiceMetrics metrics;

  ChartRoutes(String secret, ChartFolder charts, ServiceState state) {
    this.secret = secret;
    this.charts = charts;
    this.keyring = state.keyring();
    this.patientHash = state.patientHash();
    this.log = state.log();
    this.metrics = state.metrics();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String rest = exchange.getRequestURI().getPath().substring(PATH.length());
    if (rest.isEmpty()) {
      HttpReplies.status(exchange, 404);
      return;
    }
    metrics.requestServed();
    switch (exchange.getRequestMethod()) {
      case "POST" -> upload(exchange, rest);
      case "GET" -> download(exchange, rest);
      default -> HttpReplies.status(exchange, 405);
    }
  }

  private void upload(HttpExchange exchange, String patientId) throws IOException {
    byte[] chart = exchange.getRequestBody().readAllBytes();
    String hash = patientHash.of(patientId);
    String artifact = ChartFolder.newArtifact(hash);
    ServiceKeyring now = keyring.get();
    KeyId keyId = now.primary(secret);
    charts.write(artifact, chart, keyId, now);
    log.write(
        "chart_upload.saved",
        Map.of(
            "patient_hash",
            hash,
            "artifact",
            artifact,
            "key_id",
            keyId.toString(),
            "bytes",
            chart.length));
    HttpReplies.json(exchange, 201, Map.of("artifact", artifact, "keyId", keyId.toString()));
  }

  private void download(HttpExchange exchange, String artifact) throws IOException {
    Optional<Envelope> stored;
    try {
      stored = charts.read(artifact);
    } catch (EnvelopeException e) {
      refuse(exchange, artifact, e);
      return;
    }
    if (stored.isEmpty()) {
      HttpReplies.status(exchange, 404);
      return;
    }
    byte[] chart;
    try {
      chart = charts.decrypt(artifact, stored.get(), keyring.get());
    } catch (EnvelopeException e) {
      refuse(exchange, artifact, e);
      return;
    }
    exchange.getResponseHeaders().set("X-Key-Id", stored.get().keyId().toString());
    HttpReplies.bytes(exchange, 200, "application/pdf", chart);
  }

  private void refuse(HttpExchange exchange, String artifact, EnvelopeException e)
      throws IOException {
    metrics.egressFailure();
    log.write(
        "chart_download.undecryptable", Map.of("artifact", artifact, "reason", e.reason().name()));
    HttpReplies.json(exchange, 500, Map.of("error", "undecryptable", "reason", e.reason().name()));
  }
}
