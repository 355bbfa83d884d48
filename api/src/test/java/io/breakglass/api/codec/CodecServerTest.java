package io.breakglass.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.api.ApiTest;
import io.breakglass.api.BreakglassConfiguration;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application serves the codec endpoints behind the operator API's bearer authentication,
 * and answers the Temporal UI's CORS preflight for the configured origin only. (Which role may
 * encode or decode is in the authorization matrix.)
 */
class CodecServerTest extends ApiTest {

  private static final String UI = "http://localhost:8233";

  private static DropwizardTestSupport<BreakglassConfiguration> api;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void anApiThatListsTheUi() throws Exception {
    api = testbed.anotherApi("codec-ui", Map.of(), Map.of("codecServer", Map.of("allowedOrigins", List.of(UI))));
  }

  @AfterAll
  static void stop() {
    testbed.closeAnother(api);
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
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).as("negative control").isEmpty();
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
    return URI.create("http://127.0.0.1:" + api.getLocalPort() + path);
  }
}
