package io.breakglass.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.api.BreakglassApplication;
import io.breakglass.api.BreakglassConfiguration;
import io.breakglass.worker.CodecConfig;
import io.breakglass.worker.CodecKeys;
import io.breakglass.worker.TemporalConfig;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The application registers the codec server from {@code temporal.codec} and {@code codecServer},
 * and fails closed: until the operator API's authentication supplies roles, every call is 403.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CodecServerTest {

  private static final String UI = "http://localhost:8080";

  static final DropwizardAppExtension<BreakglassConfiguration> app =
      new DropwizardAppExtension<>(BreakglassApplication.class, configuration());

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theCodecEndpoints_refuseEveryCallWithoutAnAuthenticatedRole() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/codec/decode"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"payloads\":[]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void theConfiguredUiOrigin_getsItsPreflightAnswered() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/codec/encode"))
                .header("Origin", UI)
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.getLocalPort() + path);
  }

  private static BreakglassConfiguration configuration() {
    Path keyFile;
    try {
      keyFile = Files.createTempDirectory("codec-server-test").resolve("codec.key");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CodecKeys.createFile(keyFile);
    BreakglassConfiguration configuration = new BreakglassConfiguration();
    configuration.setTemporal(TemporalConfig.plaintext(null).withCodec(CodecConfig.file("codec-app", keyFile)));
    configuration.setCodecServer(new CodecServerConfig(List.of(UI)));
    DefaultServerFactory server = (DefaultServerFactory) configuration.getServerFactory();
    for (var connector : List.of(server.getApplicationConnectors().get(0), server.getAdminConnectors().get(0))) {
      HttpConnectorFactory http = (HttpConnectorFactory) connector;
      http.setPort(0);
      http.setBindHost("127.0.0.1");
    }
    return configuration;
  }
}
