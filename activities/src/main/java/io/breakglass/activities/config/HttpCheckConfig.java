package io.breakglass.activities.config;

import jakarta.validation.constraints.NotBlank;
import java.util.Map;

/**
 * One HTTP smoke check of SMOKE_TEST, run in order after the storage-level canary. Text fields are
 * templates: {@code ${keyId:<secret>}} is the key id of the version this rotation made of that
 * secret, {@code ${canary}} a random value fresh for each smoke test (the same in every check of
 * it), and {@code ${<name>}} a value an earlier check captured. Response bodies are never logged or
 * reported: a result names the check, the status, and which assertion failed.
 *
 * @param name what it checks, e.g. {@code upload canary chart}
 * @param method HTTP method (default GET)
 * @param url the URL
 * @param body the request body (none when null)
 * @param expectStatus the status it must answer (default 200)
 * @param expect JSON Pointer (RFC 6901, e.g. {@code /keyId}, {@code /snapshot/canary}) into the
 *     JSON answer, to the text the value there must equal
 * @param bodyEquals the text the whole answer must equal (for non-JSON answers, e.g. a chart)
 * @param capture a name for later checks, to the JSON Pointer of its value in the answer
 */
public record HttpCheckConfig(
    @NotBlank String name,
    String method,
    @NotBlank String url,
    String body,
    Integer expectStatus,
    Map<String, String> expect,
    String bodyEquals,
    Map<String, String> capture) {

  public HttpCheckConfig {
    method = method == null ? "GET" : method;
    expectStatus = expectStatus == null ? 200 : expectStatus;
    expect = expect == null ? Map.of() : Map.copyOf(expect);
    capture = capture == null ? Map.of() : Map.copyOf(capture);
  }
}
