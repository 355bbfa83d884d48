package io.breakglass.activities.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.breakglass.activities.config.WebhookConfig;
import io.breakglass.workflows.activities.NotificationActivities.Audience;
import io.breakglass.workflows.activities.NotificationActivities.Notice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Delivers notices to one webhook as a JSON POST:
 *
 * <pre>{@code
 * {"id":"<rotationId>/<event>","rotationId":"...","event":"...","severity":"...",
 *  "audiences":["..."],"summary":"...","sentAt":"<ISO-8601>"}
 * }</pre>
 *
 * with {@code Idempotency-Key: <id>} so receivers drop the duplicates retries produce, and {@code
 * Authorization: Bearer <token>} when a token is configured. One POST per {@link #deliver} call:
 * retrying is the activity's retry policy's job, so the number of POSTs a failing receiver gets is
 * the number of activity attempts. Connection failures, timeouts, 408, 429 and 5xx are failures a
 * retry may cure; any other answer is a refusal. The token never appears in {@link #name()}, logs
 * or failures.
 */
public final class WebhookNotifier implements Notifier {

  /** Connect and request timeout of the POST. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final JsonFactory JSON = new JsonFactory();

  private final WebhookConfig webhook;
  private final HttpClient http;
  private final Clock clock;
  private final String name;

  /** A notifier with the UTC system clock. */
  public WebhookNotifier(WebhookConfig webhook, HttpClient http) {
    this(webhook, http, Clock.systemUTC());
  }

  /**
   * @param webhook where to POST and for which audiences
   * @param http the client (see {@link #httpClient()})
   * @param clock stamps {@code sentAt}
   */
  public WebhookNotifier(WebhookConfig webhook, HttpClient http, Clock clock) {
    String scheme = webhook.url().getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException(
          "webhook URL must be http or https: " + withoutCredentials(webhook.url()));
    }
    this.webhook = webhook;
    this.http = http;
    this.clock = clock;
    this.name = "webhook " + withoutCredentials(webhook.url());
  }

  /** A client for webhooks: 10 s connect timeout, HTTP/1.1, no redirects. */
  public static HttpClient httpClient() {
    // HTTP/1.1: an h2c upgrade on a plain-HTTP POST confuses some receivers and buys nothing here.
    return HttpClient.newBuilder()
        .connectTimeout(TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean accepts(Notice notice) {
    return notice.audiences() != null
        && notice.audiences().stream().anyMatch(webhook.audiences()::contains);
  }

  @Override
  public CompletableFuture<Void> deliver(Notice notice) {
    HttpRequest request;
    try {
      request = request(notice);
    } catch (RuntimeException unsendable) {
      return CompletableFuture.failedFuture(
          new DeliveryException(
              name, 0, "cannot send (" + unsendable.getClass().getSimpleName() + ")", false));
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(Answer::of)
        .thenCompose(
            answer ->
                answer.accepted()
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(
                        new DeliveryException(
                            name, answer.status(), answer.describe(), answer.worthRetrying())));
  }

  private HttpRequest request(Notice notice) {
    String id = id(notice);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(webhook.url())
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", id)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body(notice, id)));
    if (webhook.bearerToken() != null && !webhook.bearerToken().isBlank()) {
      request.header("Authorization", "Bearer " + webhook.bearerToken());
    }
    return request.build();
  }

  private byte[] body(Notice notice, String id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("id", id);
      json.writeStringField("rotationId", notice.rotationId());
      json.writeStringField("event", notice.event());
      json.writeStringField("severity", Objects.toString(notice.severity(), null));
      json.writeArrayFieldStart("audiences");
      List<Audience> audiences = Objects.requireNonNullElse(notice.audiences(), List.of());
      for (Audience audience : audiences) {
        json.writeString(audience.name());
      }
      json.writeEndArray();
      json.writeStringField("summary", notice.summary());
      json.writeStringField("sentAt", clock.instant().toString());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The notice's stable id, which receivers use to drop duplicates. */
  static String id(Notice notice) {
    return notice.rotationId() + "/" + notice.event();
  }

  /** The URL without user info and query, which often carry credentials. */
  private static String withoutCredentials(URI url) {
    try {
      return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return url.getScheme() + "://" + url.getHost();
    }
  }

  /** One attempt's result: an HTTP status, or no answer at all. */
  private record Answer(int status, Throwable error) {

    static Answer of(HttpResponse<Void> response, Throwable error) {
      if (error != null) {
        return new Answer(0, error instanceof CompletionException ? error.getCause() : error);
      }
      return new Answer(response.statusCode(), null);
    }

    boolean accepted() {
      return error == null && status >= 200 && status < 300;
    }

    boolean worthRetrying() {
      if (error != null) {
        return error instanceof IOException;
      }
      return status == 408 || status == 429 || status >= 500;
    }

    /** What happened, without the exception's message (which may echo the request). */
    String describe() {
      return error != null
          ? "unreachable (" + error.getClass().getSimpleName() + ")"
          : "answered " + status;
    }
  }
}
