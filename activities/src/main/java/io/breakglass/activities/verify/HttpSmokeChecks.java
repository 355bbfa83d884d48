package io.breakglass.activities.verify;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.workflows.activities.VerificationActivities.CheckResult;
import io.breakglass.workflows.messages.values.NewVersion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Runs the configured HTTP smoke checks in order, one {@link CheckResult} each. Values a check
 * captures are available to the checks after it. A result carries the method, the URL as
 * configured (before templating), the status and which assertion failed, never a response body.
 */
final class HttpSmokeChecks {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  List<CheckResult> run(List<HttpCheckConfig> checks, List<NewVersion> versions) {
    Map<String, String> values = new HashMap<>();
    for (NewVersion version : versions) {
      values.put("keyId:" + version.secret(), version.newKeyId());
    }
    byte[] canary = new byte[16];
    RANDOM.nextBytes(canary);
    values.put("canary", "canary-" + HexFormat.of().formatHex(canary));
    List<CheckResult> results = new ArrayList<>();
    for (HttpCheckConfig check : checks) {
      results.add(run(check, values));
    }
    return results;
  }

  private CheckResult run(HttpCheckConfig check, Map<String, String> values) {
    String call = check.method() + " " + check.url();
    CheckTemplate template = new CheckTemplate(values);
    HttpResponse<byte[]> response;
    try {
      String body = template.fill(check.body());
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(template.fill(check.url())))
              .timeout(TIMEOUT)
              .method(
                  check.method(),
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body))
              .build();
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IllegalArgumentException e) {
      return failed(check, call + ": " + e.getMessage());
    } catch (IOException e) {
      return failed(check, call + ": unreachable (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(check, call + ": interrupted");
    }
    String answered = call + " answered " + response.statusCode();
    if (response.statusCode() != check.expectStatus()) {
      return failed(check, answered + ", expected " + check.expectStatus());
    }
    try {
      String assertion = firstFailedAssertion(check, template, response.body(), values);
      return assertion == null
          ? new CheckResult(check.name(), true, answered + assertions(check))
          : failed(check, answered + "; " + assertion);
    } catch (IllegalArgumentException e) {
      return failed(check, answered + "; " + e.getMessage());
    }
  }

  /** Checks the answer and records captures; the failed assertion, or null when all hold. */
  private static String firstFailedAssertion(
      HttpCheckConfig check, CheckTemplate template, byte[] body, Map<String, String> values) {
    if (check.bodyEquals() != null
        && !template.fill(check.bodyEquals()).equals(new String(body, StandardCharsets.UTF_8))) {
      return "the body differs from " + check.bodyEquals();
    }
    if (check.expect().isEmpty() && check.capture().isEmpty()) {
      return null;
    }
    JsonNode document;
    try {
      document = JSON.readTree(body);
    } catch (IOException e) {
      return "the answer is not JSON";
    }
    for (Map.Entry<String, String> expected : check.expect().entrySet()) {
      JsonNode value = document.at(JsonPointer.compile(expected.getKey()));
      if (value.isMissingNode() || value.isContainerNode()) {
        return expected.getKey() + " is missing";
      }
      if (!value.asText().equals(template.fill(expected.getValue()))) {
        return expected.getKey() + " differs from " + expected.getValue();
      }
    }
    for (Map.Entry<String, String> capture : check.capture().entrySet()) {
      JsonNode value = document.at(JsonPointer.compile(capture.getValue()));
      if (value.isMissingNode() || value.isContainerNode()) {
        return capture.getValue() + " (to capture as " + capture.getKey() + ") is missing";
      }
      values.put(capture.getKey(), value.asText());
    }
    return null;
  }

  private static String assertions(HttpCheckConfig check) {
    List<String> held = new ArrayList<>();
    check.expect().forEach((pointer, expected) -> held.add(pointer + " = " + expected));
    if (check.bodyEquals() != null) {
      held.add("body = " + check.bodyEquals());
    }
    return held.isEmpty() ? "" : "; " + String.join(", ", held);
  }

  private static CheckResult failed(HttpCheckConfig check, String detail) {
    return new CheckResult(check.name(), false, detail);
  }
}
