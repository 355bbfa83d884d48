package io.breakglass.activities.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Instant queries against Prometheus's HTTP API ({@code GET /api/v1/query}). Every way of not
 * getting one finite value is a {@link QueryResult}, never an exception: the analysis must see
 * missing data as missing, not crash on it.
 */
public final class PrometheusClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param base the Prometheus base URL, e.g. {@code http://prometheus:9090}
   * @param timeout how long a query may take, connecting included
   */
  public PrometheusClient(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Runs {@code promql} at the current time. */
  public QueryResult query(String promql) {
    String root = base.toString().replaceAll("/+$", "");
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    root
                        + "/api/v1/query?query="
                        + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
            .timeout(timeout)
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new QueryResult.Failed(
          "Prometheus at " + root + " unreachable (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new QueryResult.Failed("interrupted while querying Prometheus at " + root);
    }
    return read(response.statusCode(), response.body());
  }

  /** Reads an API response: {@code {"status", "data": {"resultType", "result"}}} or an error. */
  static QueryResult read(int status, String body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return new QueryResult.Failed("HTTP " + status + " without a Prometheus API response");
    }
    if (!"success".equals(json.path("status").asText())) {
      return new QueryResult.Failed(
          "HTTP "
              + status
              + ", "
              + json.path("errorType").asText("error")
              + ": "
              + json.path("error").asText("no detail"));
    }
    JsonNode data = json.path("data");
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    return switch (type) {
      case "scalar" -> value(result);
      case "vector" ->
          result.size() == 0
              ? new QueryResult.NoData("empty result")
              : result.size() > 1
                  ? new QueryResult.Failed(
                      result.size() + " series; aggregate the query to one (e.g. sum(...))")
                  : value(result.get(0).path("value"));
      default ->
          new QueryResult.Failed(
              "result type " + type + "; the query must give a scalar or one series");
    };
  }

  /** A {@code [timestamp, "value"]} pair; Prometheus writes NaN, +Inf and -Inf as strings too. */
  private static QueryResult value(JsonNode pair) {
    String text = pair.path(1).asText();
    if (text.endsWith("Inf")) {
      return new QueryResult.NoData("value " + text);
    }
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return new QueryResult.Failed("value '" + text + "' is not a number");
    }
    return Double.isFinite(value)
        ? new QueryResult.Value(value)
        : new QueryResult.NoData("value " + text);
  }
}
