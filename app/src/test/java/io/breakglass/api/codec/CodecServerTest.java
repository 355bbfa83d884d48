package io.breakglass.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import io.breakglass.api.BreakglassConfiguration;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application serves the codec endpoints behind the operator API's bearer authentication, and
 * answers the Temporal UI's CORS preflight for the configured origin only. (Which role may encode
 * or decode is in the authorization matrix.)
 */
class CodecServerTest extends ApiTest {

  private static final String UI = "http://localhost:8233";

  private static DropwizardTestSupport<BreakglassConfiguration> api;

  /** Like {@link #api}, with the token file dev writes for its local Temporal Web UI. */
  private static DropwizardTestSupport<BreakglassConfiguration> forLocalUi;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void anApiThatListsTheUi() throws Exception {
    api =
        testbed.anotherApi(
            "codec-ui", Map.of(), Map.of("codecServer", Map.of("allowedOrigins", List.of(UI))));
    Path tokenFile =
        Files.createTempFile(
            "web-ui",
            ".token",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tokenFile, ApiTestbed.token("olivia"));
    tokenFile.toFile().deleteOnExit();
    forLocalUi =
        testbed.anotherApi(
            "codec-local-ui",
            Map.of(),
            Map.of(
                "codecServer",
                Map.of("allowedOrigins", List.of(UI), "loopbackTokenFile", tokenFile.toString())));
  }

  @AfterAll
  static void stop() {
    testbed.closeAnother(api);
    testbed.closeAnother(forLocalUi);
  }

  @Test
  void withALoopbackTokenFile_aCodecCallFromLoopbackWithoutAToken_getsIn_asTheFilesUser()
      throws Exception {
    HttpResponse<String> decoded = decode(forLocalUi, null);
    HttpResponse<String> me = get(forLocalUi, "/api/me", null);
    HttpResponse<String> wrongToken = decode(forLocalUi, "Bearer not-a-token");

    assertThat(decoded.statusCode()).as(decoded.body()).isEqualTo(200);
    assertThat(decoded.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
    assertThat(me.statusCode()).as("only the codec endpoints get the token").isEqualTo(401);
    assertThat(wrongToken.statusCode())
        .as("a request's own credentials are never replaced")
        .isEqualTo(401);
    assertThat(decode(api, null).statusCode()).as("negative control: no token file").isEqualTo(401);
  }

  @Test
  void theCodecEndpoints_needABearerToken() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/codec/decode"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"payloads\":[]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void theConfiguredUiOrigin_getsItsPreflightAnswered_andAnotherOriginDoesNot() throws Exception {
    HttpResponse<String> listed = preflight(UI);
    HttpResponse<String> other = preflight("https://evil.example.invalid");

    assertThat(listed.statusCode()).isEqualTo(204);
    assertThat(listed.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin"))
        .as("negative control")
        .isEmpty();
  }

  private HttpResponse<String> decode(
      DropwizardTestSupport<BreakglassConfiguration> on, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(on, "/codec/decode"))
            .header("Content-Type", "application/json")
            .header("Origin", UI)
            .POST(HttpRequest.BodyPublishers.ofString("{\"payloads\":[]}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(
      DropwizardTestSupport<BreakglassConfiguration> on, String path, String authorization)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(on, path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> preflight(String origin) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri("/codec/encode"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return uri(api, path);
  }

  private static URI uri(DropwizardTestSupport<BreakglassConfiguration> on, String path) {
    return URI.create("http://127.0.0.1:" + on.getLocalPort() + path);
  }
}
