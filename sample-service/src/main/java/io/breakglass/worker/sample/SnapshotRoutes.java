package io.breakglass.worker.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /snapshots} (a JSON object; {@code patientId} and {@code model} are read if present)
 * encrypts it into a new {@code ai_json_snapshots} row under the keyring's primary and answers
 * {@code {"id":..,"keyId":..}}; {@code GET /snapshots/{id}} answers {@code
 * {"id":..,"keyId":..,"snapshot":{...}}} with the stored envelope's key id.
 */
final class SnapshotRoutes implements HttpHandler {

  static final String PATH = "/snapshots";

  private final String secret;
  private final SnapshotTable snapshots;
  private final LoadedKeyring keyring;
  private final PatientHash patientHash;
  private final EventLog log;
  private final ServiceMetrics metrics;

  SnapshotRoutes(String secret, SnapshotTable snapshots, ServiceState state) {
    this.secret = secret;
    this.snapshots = snapshots;
    this.keyring = state.keyring();
    this.patientHash = state.patientHash();
    this.log = state.log();
    this.metrics = state.metrics();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    metrics.requestServed();
    try {
      if (path.equals(PATH) && exchange.getRequestMethod().equals("POST")) {
        write(exchange);
      } else if (path.startsWith(PATH + "/") && exchange.getRequestMethod().equals("GET")) {
        read(exchange, path.substring(PATH.length() + 1));
      } else {
        HttpReplies.status(exchange, path.equals(PATH) || path.startsWith(PATH + "/") ? 405 : 404);
      }
    } catch (SQLException e) {
      HttpReplies.json(
          exchange,
          503,
          Map.of("error", "database unavailable", "sqlState", String.valueOf(e.getSQLState())));
    }
  }

  private void write(HttpExchange exchange) throws IOException, SQLException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    JsonNode snapshot;
    try {
      snapshot = HttpReplies.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      snapshot = null;
    }
    if (snapshot == null || !snapshot.isObject()) {
      HttpReplies.json(exchange, 400, Map.of("error", "the body must be a JSON object"));
      return;
    }
    // Stands for the redaction pipeline the real backend runs over every prompt it stores.
    metrics.redaction();
    String hash =
        snapshot.hasNonNull("patientId")
            ? patientHash.of(snapshot.get("patientId").asText())
            : null;
    String model = snapshot.path("model").asText("unspecified");
    ServiceKeyring now = keyring.get();
    KeyId keyId = now.primary(secret);
    long id =
        snapshots.insert(
            body, hash == null ? "none" : "p-" + hash.substring(0, 16), model, keyId, now);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", id);
    fields.put("key_id", keyId.toString());
    if (hash != null) {
      fields.put("patient_hash", hash);
    }
    log.write("ai_snapshot.saved", fields);
    HttpReplies.json(exchange, 201, Map.of("id", id, "keyId", keyId.toString()));
  }

  private void read(HttpExchange exchange, String idText) throws IOException, SQLException {
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      HttpReplies.status(exchange, 404);
      return;
    }
    Optional<SnapshotTable.Row> row;
    byte[] plaintext;
    try {
      row = snapshots.read(id);
      if (row.isEmpty()) {
        HttpReplies.status(exchange, 404);
        return;
      }
      plaintext = snapshots.decrypt(row.get(), keyring.get());
    } catch (EnvelopeException e) {
      metrics.egressFailure();
      log.write("ai_snapshot.undecryptable", Map.of("id", id, "reason", e.reason().name()));
      HttpReplies.json(
          exchange, 500, Map.of("error", "undecryptable", "reason", e.reason().name()));
      return;
    }
    HttpReplies.json(
        exchange,
        200,
        Map.of(
            "id",
            id,
            "keyId",
            row.get().envelope().keyId().toString(),
            "snapshot",
            HttpReplies.JSON.readTree(plaintext)));
  }
}
