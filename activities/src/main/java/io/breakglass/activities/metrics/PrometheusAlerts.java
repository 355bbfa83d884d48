package io.breakglass.activities.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.workflows.activities.MetricWatchActivities.PreflightReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pre-flight's question to Prometheus: which of the configured alerts are firing, by its
 * documented {@code GET /api/v1/alerts} ({@code {"status":"success","data":{"alerts":[{"labels":
 * {"alertname":...},"state":"firing"|"pending"}]}}}). Reads at most {@value #MAX_BODY} bytes; an
 * answer that is cut short, not JSON, or not a success is "Prometheus did not answer", never a
 * pass. Only the configured names are reported, so free text from Prometheus never reaches the
 * workflow history.
 */
public final class PrometheusAlerts {

  /** The most of an alerts answer read; a larger one is refused, not truncated into a pass. */
  static final int MAX_BODY = 4 * 1024 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
              .build());

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param base the Prometheus base URL
   * @param timeout how long the request may take, connecting included
   */
  public PrometheusAlerts(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Asks for the active alerts and judges {@code checked} against them. */
  public PreflightReport check(List<String> checked) {
    String root = base.toString().replaceAll("/+$", "");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(root + "/api/v1/alerts")).timeout(timeout).GET().build();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        return unanswered(
            checked, "Prometheus at " + root + " sent more than " + MAX_BODY + " bytes of alerts");
      }
      return judge(checked, response.statusCode(), body, root);
    } catch (IOException e) {
      return unanswered(
          checked, "Prometheus at " + root + " unreachable (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unanswered(
          checked, "interrupted while asking Prometheus at " + root + " for its alerts");
    }
  }

  /** Reads an alerts answer; only names in {@code checked} are ever reported back. */
  static PreflightReport judge(List<String> checked, int status, byte[] body, String root) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException | RuntimeException e) {
      return unanswered(
          checked,
          "HTTP " + status + " from Prometheus at " + root + " without a readable alerts answer");
    }
    JsonNode alerts = json == null ? null : json.path("data").path("alerts");
    if (status != 200
        || !"success".equals(json.path("status").asText())
        || alerts == null
        || !alerts.isArray()) {
      return unanswered(
          checked,
          "HTTP " + status + " from Prometheus at " + root + " without a successful alerts answer");
    }
    Set<String> wanted = Set.copyOf(checked);
    Set<String> firing = new TreeSet<>();
    Set<String> pending = new TreeSet<>();
    for (JsonNode alert : alerts) {
      String name = alert.path("labels").path("alertname").asText("");
      if (!wanted.contains(name)) {
        continue;
      }
      switch (alert.path("state").asText("")) {
        case "firing" -> firing.add(name);
        case "pending" -> pending.add(name);
        default -> {
          // inactive or unknown: not firing
        }
      }
    }
    String found =
        firing.isEmpty()
            ? "none of " + checked.size() + " configured alert(s) firing"
            : "firing: " + String.join(", ", firing);
    String reason =
        found
            + (pending.isEmpty() ? "" : "; pending: " + String.join(", ", pending))
            + "; Prometheus answered";
    return new PreflightReport(true, checked, List.copyOf(firing), List.copyOf(pending), reason);
  }

  private static PreflightReport unanswered(List<String> checked, String reason) {
    return new PreflightReport(false, checked, List.of(), List.of(), reason);
  }
}
