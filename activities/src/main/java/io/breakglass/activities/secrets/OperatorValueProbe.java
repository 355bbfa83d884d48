package io.breakglass.activities.secrets;

import io.breakglass.activities.config.OperatorValueCheck;
import io.breakglass.workflows.RotationErrors;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Proves an operator-supplied value (an API key) works before it becomes a version: one request to
 * the provider, the value in the configured header, which must answer the expected status. The
 * response body is never read; failures name the endpoint (without credentials or query) and the
 * status, never the value.
 */
public final class OperatorValueProbe {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http;

  public OperatorValueProbe() {
    this(
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(
                HttpClient.Redirect.NEVER) // a redirect must not carry the key elsewhere
            .build());
  }

  OperatorValueProbe(HttpClient http) {
    this.http = http;
  }

  /**
   * @throws io.temporal.failure.ApplicationFailure {@code OPERATOR_VALUE_REFUSED} when the answer
   *     is another status, or no answer comes
   */
  public void check(String secret, OperatorValueCheck check, byte[] value) {
    String where = check.method() + " " + printable(check.url());
    String text = new String(value, StandardCharsets.UTF_8);
    // The HTTP client's own refusal of such a header could quote it.
    if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw RotationErrors.OPERATOR_VALUE_REFUSED.failure(
          "the supplied value of "
              + secret
              + " contains control characters; it was not sent to "
              + where);
    }
    HttpRequest request =
        HttpRequest.newBuilder(check.url())
            .timeout(TIMEOUT)
            .method(check.method(), HttpRequest.BodyPublishers.noBody())
            .header(check.header(), check.valuePrefix() + text)
            .build();
    int status;
    try {
      status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw RotationErrors.OPERATOR_VALUE_REFUSED.failure(
          "the supplied value of "
              + secret
              + " could not be checked: "
              + where
              + " did not answer ("
              + e.getClass().getSimpleName()
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RotationErrors.OPERATOR_VALUE_REFUSED.failure(
          "the check of the supplied value of " + secret + " at " + where + " was interrupted");
    }
    if (status != check.expectedStatus()) {
      throw RotationErrors.OPERATOR_VALUE_REFUSED.failure(
          "the supplied value of "
              + secret
              + " was refused by "
              + where
              + ": status "
              + status
              + ", expected "
              + check.expectedStatus()
              + "; supply another value and retry");
    }
  }

  /** Scheme, host, port and path: user info and query may hold credentials. */
  private static String printable(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }
}
