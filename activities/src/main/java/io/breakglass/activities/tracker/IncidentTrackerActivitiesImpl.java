package io.breakglass.activities.tracker;

import io.breakglass.activities.config.TrackerConfig;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.IncidentTrackerActivities;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs the incident, then the next-rotation ticket, to the configured tracker webhook (see {@link
 * TrackerPayloads} for the bodies), with {@code Idempotency-Key}, an optional bearer token and an
 * optional {@link TrackerSignature}. Connection failures, 408, 429 and 5xx are retried up to {@code
 * attempts} times with a doubling pause; any other answer is final. Without a tracker it does
 * nothing. Credentials never appear in logs or failures. Thread-safe.
 */
public final class IncidentTrackerActivitiesImpl implements IncidentTrackerActivities {

  /** The pause before the second attempt; it doubles after each further one. */
  public static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(IncidentTrackerActivitiesImpl.class);

  private final TrackerConfig config;
  private final String bearerToken;
  private final String signingSecret;
  private final Duration firstBackoff;
  private final HttpClient http;
  private final Clock clock;

  /**
   * @param config the tracker, or null for none
   * @param environment reads the variables the config names
   */
  public IncidentTrackerActivitiesImpl(TrackerConfig config, Function<String, String> environment) {
    this(config, environment, FIRST_BACKOFF, Clock.systemUTC());
  }

  IncidentTrackerActivitiesImpl(
      TrackerConfig config,
      Function<String, String> environment,
      Duration firstBackoff,
      Clock clock) {
    this.config = config;
    this.bearerToken = config == null ? null : variable(environment, config.bearerTokenEnv());
    this.signingSecret = config == null ? null : variable(environment, config.signingSecretEnv());
    this.firstBackoff = firstBackoff;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public void fileIncident(Incident incident) {
    if (config == null) {
      return;
    }
    post(TrackerPayloads.incidentId(incident), TrackerPayloads.incident(incident, clock.instant()));
    if (incident.nextRotation() != null) {
      post(TrackerPayloads.ticketId(incident), TrackerPayloads.ticket(incident, clock.instant()));
    }
  }

  private void post(String id, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(config.url())
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", id)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    if (signingSecret != null) {
      request.header(TrackerSignature.HEADER, TrackerSignature.sign(signingSecret, body));
    }
    String outcome = "";
    for (int attempt = 1; attempt <= config.attempts(); attempt++) {
      boolean retryable;
      try {
        int status =
            http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status >= 200 && status < 300) {
          return;
        }
        outcome = "answered " + status;
        retryable = status == 408 || status == 429 || status >= 500;
      } catch (IOException unreachable) {
        outcome = "unreachable (" + unreachable.getClass().getSimpleName() + ")";
        retryable = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw RotationErrors.NOTIFICATION_FAILED.failure("tracker post of " + id + " interrupted");
      }
      if (!retryable || attempt == config.attempts()) {
        break;
      }
      Duration pause = firstBackoff.multipliedBy(1L << (attempt - 1));
      log.warn(
          "tracker {} {} to {}; attempt {}/{}, retrying in {} ms",
          where(),
          outcome,
          id,
          attempt,
          config.attempts(),
          pause.toMillis());
      sleep(pause);
    }
    throw RotationErrors.NOTIFICATION_FAILED.failure(
        "tracker "
            + where()
            + " "
            + outcome
            + " to "
            + id
            + " after up to "
            + config.attempts()
            + " attempt(s)");
  }

  /** The URL without user info and query, which often carry credentials. */
  private String where() {
    URI url = config.url();
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + url.getPath();
  }

  private static String variable(Function<String, String> environment, String name) {
    if (name == null) {
      return null;
    }
    String value = environment.apply(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "the incident tracker names environment variable " + name + ", which is not set");
    }
    return value;
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RotationErrors.NOTIFICATION_FAILED.failure("tracker post interrupted");
    }
  }
}
