package io.breakglass.activities.config;

import jakarta.validation.constraints.NotNull;
import java.net.URI;

/**
 * How to prove an operator-supplied value (an API key) works before it is promoted: one HTTP
 * request that carries the value in a header and must answer {@code expectedStatus}. The value is
 * never logged, and the response body is not read.
 *
 * @param url the provider's endpoint, e.g. {@code https://api.openai.com/v1/models}
 * @param method the HTTP method (default GET)
 * @param header the header that carries the value (default {@code Authorization})
 * @param valuePrefix text before the value in the header (default {@code "Bearer "})
 * @param expectedStatus the status that proves the value works (default 200)
 */
public record OperatorValueCheck(
    @NotNull URI url, String method, String header, String valuePrefix, int expectedStatus) {

  public OperatorValueCheck {
    method = method == null ? "GET" : method;
    header = header == null ? "Authorization" : header;
    valuePrefix = valuePrefix == null ? "Bearer " : valuePrefix;
    expectedStatus = expectedStatus == 0 ? 200 : expectedStatus;
  }
}
