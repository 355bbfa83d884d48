package io.breakglass.worker.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Calls to a running sample service, as its clients make them. */
public final class SampleClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final String token;

  public SampleClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A stored chart: its artifact name and key id. */
  public record Stored(String id, String keyId) {}

  public Stored uploadChart(String patientId, byte[] chart) {
    JsonNode answer = json(send(post("/charts/" + patientId, chart)), 201);
    return new Stored(answer.get("artifact").asText(), answer.get("keyId").asText());
  }

  public HttpResponse<byte[]> readChart(String artifact) {
    return send(HttpRequest.newBuilder(base.resolve("/charts/" + artifact)).GET().build());
  }

  public Stored writeSnapshot(String json) {
    JsonNode answer = json(send(post("/snapshots", json.getBytes(StandardCharsets.UTF_8))), 201);
    return new Stored(answer.get("id").asText(), answer.get("keyId").asText());
  }

  public HttpResponse<byte[]> readSnapshot(String id) {
    return send(HttpRequest.newBuilder(base.resolve("/snapshots/" + id)).GET().build());
  }

  /** {@code POST /admin/reload} with {@code bearer} (null: no Authorization header). */
  public HttpResponse<byte[]> reload(String bearer) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("/admin/reload"))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.build());
  }

  public void reload() {
    json(reload(token), 200);
  }

  public void egressFailures(boolean on) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/admin/faults"))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString("{\"egressFailures\":" + on + "}"))
            .build();
    json(send(request), 200);
  }

  public String metrics() {
    return new String(
        send(HttpRequest.newBuilder(base.resolve("/metrics")).GET().build()).body(),
        StandardCharsets.UTF_8);
  }

  public static JsonNode json(HttpResponse<byte[]> response, int expectedStatus) {
    if (response.statusCode() != expectedStatus) {
      throw new AssertionError(
          response.request().method()
              + " "
              + response.uri().getPath()
              + " answered "
              + response.statusCode()
              + ", expected "
              + expectedStatus
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpRequest post(String path, byte[] body) {
    return HttpRequest.newBuilder(base.resolve(path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
