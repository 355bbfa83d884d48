package io.breakglass.activities.verify;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.config.HttpCheckConfig;
import io.breakglass.activities.config.JwtCheckConfig;
import io.breakglass.activities.config.SmokeCheckKind;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.workflows.activities.VerificationActivities.CheckResult;
import io.breakglass.workflows.messages.values.NewVersion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs the configured HTTP smoke checks in order, one {@link CheckResult} each. Values a check
 * captures are available to the checks after it. A result carries the method, the URL as configured
 * (before templating), the status and which assertion failed, never a response body. A check with a
 * {@code jwt} sends a bearer token signed with a version of its signing secret; the token and the
 * secret never leave the request.
 */
final class HttpSmokeChecks {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final SecretStore store;
  private final Clock clock;

  /**
   * @param store where signing material and the CURRENT versions of secrets not rotated are read
   */
  HttpSmokeChecks(SecretStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * SMOKE_TEST: every check, in order. {@code ${keyId:<secret>}} and a check's token use the
   * version this rotation made of the secret, or its CURRENT version when it is not rotated. Checks
   * of another kind than {@code http} are run, in their place, by {@code otherKinds}.
   */
  List<CheckResult> run(
      List<HttpCheckConfig> checks,
      List<NewVersion> versions,
      Function<HttpCheckConfig, CheckResult> otherKinds) {
    Map<String, String> signing = new HashMap<>();
    Map<String, String> values = values(checks, versions, signing);
    List<CheckResult> results = new ArrayList<>();
    for (HttpCheckConfig check : checks) {
      results.add(
          check.kind() == SmokeCheckKind.HTTP
              ? run(check, values, signing)
              : otherKinds.apply(check));
    }
    return results;
  }

  /**
   * After REVOKE: every check whose {@code jwt} secret this rotation revoked, sent again with a
   * token signed by the revoked version; it passes only when the service answers the check's {@code
   * refusedStatus}. Only the status is judged. Other checks are not run.
   */
  List<CheckResult> runRevoked(List<HttpCheckConfig> checks, List<NewVersion> versions) {
    Map<String, String> values = values(checks, versions, new HashMap<>());
    List<CheckResult> results = new ArrayList<>();
    for (HttpCheckConfig check : checks) {
      if (check.jwt() == null) {
        continue;
      }
      versions.stream()
          .filter(v -> v.secret().equals(check.jwt().secret()))
          .findFirst()
          .ifPresent(revoked -> results.add(refusal(check, values, revoked)));
    }
    return results;
  }

  /** Template values: the key ids, a fresh canary; fills {@code signing} (secret to version id). */
  private Map<String, String> values(
      List<HttpCheckConfig> checks, List<NewVersion> versions, Map<String, String> signing) {
    for (NewVersion version : versions) {
      signing.put(version.secret(), version.versionId());
    }
    for (HttpCheckConfig check : checks) {
      for (String secret : check.coveredSecrets()) {
        if (!signing.containsKey(secret)) {
          current(secret).ifPresent(version -> signing.put(secret, version));
        }
      }
    }
    Map<String, String> values = new HashMap<>();
    signing.forEach((secret, version) -> values.put("keyId:" + secret, secret + ":" + version));
    byte[] canary = new byte[16];
    RANDOM.nextBytes(canary);
    values.put("canary", "canary-" + HexFormat.of().formatHex(canary));
    return values;
  }

  private Optional<String> current(String secret) {
    try {
      return store.describe(secret).labelled(Label.CURRENT).map(SecretVersion::versionId);
    } catch (SecretStoreException e) {
      return Optional.empty(); // the check then fails naming the placeholder without a value
    }
  }

  private CheckResult run(
      HttpCheckConfig check, Map<String, String> values, Map<String, String> signing) {
    String call = check.method() + " " + check.url();
    CheckTemplate template = new CheckTemplate(values);
    String token = null;
    if (check.jwt() != null) {
      String version = signing.get(check.jwt().secret());
      if (version == null) {
        return failed(
            check, call + ": " + check.jwt().secret() + " has no CURRENT version to sign with");
      }
      try {
        token = token(check.jwt(), version);
      } catch (SecretStoreException e) {
        return failed(
            check,
            call
                + ": cannot sign with "
                + check.jwt().secret()
                + ":"
                + version
                + " ("
                + e.getMessage()
                + ")");
      }
    }
    Answer answer = send(check, template, token);
    if (answer.failure() != null) {
      return failed(check, call + ": " + answer.failure());
    }
    HttpResponse<byte[]> response = answer.response();
    String answered =
        call
            + " answered "
            + response.statusCode()
            + (check.jwt() == null
                ? ""
                : " to a token signed with "
                    + check.jwt().secret()
                    + ":"
                    + signing.get(check.jwt().secret()));
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

  private CheckResult refusal(
      HttpCheckConfig check, Map<String, String> values, NewVersion revoked) {
    String name = "revoked " + check.name();
    String call = check.method() + " " + check.url();
    String kid = revoked.oldKeyId();
    String token;
    try {
      token = token(check.jwt(), revoked.replacedVersionId());
    } catch (SecretStoreException e) {
      return new CheckResult(
          name,
          false,
          call + ": cannot sign with revoked version " + kid + " (" + e.getMessage() + ")");
    }
    Answer answer = send(check, new CheckTemplate(values), token);
    if (answer.failure() != null) {
      return new CheckResult(name, false, call + ": " + answer.failure());
    }
    int status = answer.response().statusCode();
    int refused = check.jwt().refusedStatus();
    String answered =
        call + " answered " + status + " to a token signed with revoked version " + kid;
    return status == refused
        ? new CheckResult(name, true, answered)
        : new CheckResult(
            name,
            false,
            answered + ", expected " + refused + ": the service still accepts the revoked secret");
  }

  private String token(JwtCheckConfig jwt, String versionId) {
    byte[] key = store.material(jwt.secret(), versionId);
    try {
      return Hs256Token.mint(key, jwt.secret() + ":" + versionId, jwt.claims(), clock.instant());
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** An answer, or why there is none (never the token, never a body). */
  private record Answer(HttpResponse<byte[]> response, String failure) {}

  private Answer send(HttpCheckConfig check, CheckTemplate template, String bearer) {
    try {
      String body = template.fill(check.body());
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(template.fill(check.url())))
              .timeout(TIMEOUT)
              .method(
                  check.method(),
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (bearer != null) {
        request.header("Authorization", "Bearer " + bearer);
      }
      return new Answer(http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()), null);
    } catch (IllegalArgumentException e) {
      return new Answer(null, e.getMessage());
    } catch (IOException e) {
      return new Answer(null, "unreachable (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(null, "interrupted");
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
