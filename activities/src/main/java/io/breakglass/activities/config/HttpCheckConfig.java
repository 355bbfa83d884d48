package io.breakglass.activities.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One smoke check of SMOKE_TEST, run in order after the storage-level canary: an HTTP request (kind
 * {@code http}, the default), a local process ({@code command}, see {@link CommandCheckConfig}) or
 * a Kubernetes Job ({@code kubernetes-job}, see {@link KubernetesJobCheckConfig}). The fields below
 * up to {@code jwt} are those of an HTTP check. Text fields are templates: {@code
 * ${keyId:<secret>}} is the key id of the version this rotation made of that secret (of a secret it
 * does not rotate: its CURRENT version), {@code ${canary}} a random value fresh for each smoke test
 * (the same in every check of it), and {@code ${<name>}} a value an earlier check captured.
 * Response bodies are never logged or reported: a result names the check, the status, and which
 * assertion failed.
 *
 * <p>A check covers the secrets it lists in {@code secrets}, the secrets its templates name with
 * {@code ${keyId:<secret>}}, and its {@code jwt} secret. A secret no check covers cannot be rotated
 * unless its configuration allows that ({@link SecretSmokeConfig}).
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
 * @param secrets the secrets this check exercises beyond those its templates and {@code jwt} name
 * @param jwt sign a bearer token with a version of this signing secret; null for no token
 * @param kind what the check runs (default {@code http}; {@code command} or {@code kubernetes-job}
 *     when that part is given)
 * @param command the process of a {@code command} check
 * @param kubernetesJob the Job of a {@code kubernetes-job} check
 */
public record HttpCheckConfig(
    @NotBlank String name,
    String method,
    String url,
    String body,
    Integer expectStatus,
    Map<String, String> expect,
    String bodyEquals,
    Map<String, String> capture,
    List<String> secrets,
    @Valid JwtCheckConfig jwt,
    SmokeCheckKind kind,
    CommandCheckConfig command,
    @Valid KubernetesJobCheckConfig kubernetesJob) {

  private static final Pattern KEY_ID = Pattern.compile("\\$\\{keyId:([^}]+)}");

  public HttpCheckConfig {
    kind =
        kind != null
            ? kind
            : command != null
                ? SmokeCheckKind.COMMAND
                : kubernetesJob != null ? SmokeCheckKind.KUBERNETES_JOB : SmokeCheckKind.HTTP;
    String needs =
        switch (kind) {
          case HTTP -> url == null || url.isBlank() ? "a url" : null;
          case COMMAND -> command == null ? "command: {argv: [...]}" : null;
          case KUBERNETES_JOB ->
              kubernetesJob == null ? "kubernetesJob: {namespace, image, command}" : null;
        };
    if (needs != null) {
      throw new IllegalArgumentException(
          "smoke check '" + name + "' of kind " + kind.configName() + " needs " + needs);
    }
    if (kind != SmokeCheckKind.HTTP && (url != null || jwt != null)) {
      throw new IllegalArgumentException(
          "smoke check '"
              + name
              + "' of kind "
              + kind.configName()
              + " has no url or jwt: it is not an HTTP check");
    }
    method = method == null ? "GET" : method;
    expectStatus = expectStatus == null ? 200 : expectStatus;
    expect = expect == null ? Map.of() : Map.copyOf(expect);
    capture = capture == null ? Map.of() : Map.copyOf(capture);
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

  /** An HTTP check. */
  public HttpCheckConfig(
      String name,
      String method,
      String url,
      String body,
      Integer expectStatus,
      Map<String, String> expect,
      String bodyEquals,
      Map<String, String> capture,
      List<String> secrets,
      JwtCheckConfig jwt) {
    this(
        name,
        method,
        url,
        body,
        expectStatus,
        expect,
        bodyEquals,
        capture,
        secrets,
        jwt,
        SmokeCheckKind.HTTP,
        null,
        null);
  }

  /** A {@code command} check that covers {@code secrets}. */
  public static HttpCheckConfig command(
      String name, CommandCheckConfig command, List<String> secrets) {
    return new HttpCheckConfig(
        name,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        secrets,
        null,
        SmokeCheckKind.COMMAND,
        command,
        null);
  }

  /** A {@code kubernetes-job} check that covers {@code secrets}. */
  public static HttpCheckConfig kubernetesJob(
      String name, KubernetesJobCheckConfig job, List<String> secrets) {
    return new HttpCheckConfig(
        name,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        secrets,
        null,
        SmokeCheckKind.KUBERNETES_JOB,
        null,
        job);
  }

  /** A check that covers only the secrets its templates name, without a token. */
  public HttpCheckConfig(
      String name,
      String method,
      String url,
      String body,
      Integer expectStatus,
      Map<String, String> expect,
      String bodyEquals,
      Map<String, String> capture) {
    this(name, method, url, body, expectStatus, expect, bodyEquals, capture, null, null);
  }

  /** The secrets this check covers: {@code secrets}, {@code ${keyId:<secret>}} and {@code jwt}. */
  public Set<String> coveredSecrets() {
    Set<String> covered = new TreeSet<>(secrets);
    if (kind != SmokeCheckKind.HTTP) {
      return covered;
    }
    List<String> texts = new ArrayList<>(List.of(url));
    if (body != null) {
      texts.add(body);
    }
    if (bodyEquals != null) {
      texts.add(bodyEquals);
    }
    texts.addAll(expect.values());
    for (String text : texts) {
      Matcher named = KEY_ID.matcher(text);
      while (named.find()) {
        covered.add(named.group(1));
      }
    }
    if (jwt != null) {
      covered.add(jwt.secret());
    }
    return covered;
  }
}
