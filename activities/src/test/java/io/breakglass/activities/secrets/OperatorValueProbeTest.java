package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.breakglass.activities.config.OperatorValueCheck;
import io.breakglass.workflows.RotationErrors;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A provider on loopback that accepts one key and refuses every other. */
class OperatorValueProbeTest {

  static final String GOOD = "sk-good-0123456789";
  static final String BAD = "sk-revoked-9876543210";

  private HttpServer provider;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final OperatorValueProbe probe = new OperatorValueProbe();

  @BeforeEach
  void start() throws IOException {
    provider = acceptingOnly(GOOD, seen);
  }

  @AfterEach
  void stop() {
    provider.stop(0);
  }

  /**
   * A provider answering 200 to {@code Authorization: Bearer <accepted>} and 401 to anything else.
   */
  static HttpServer acceptingOnly(String accepted, List<String> seen) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/models",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          seen.add(exchange.getRequestMethod() + " " + auth);
          exchange.sendResponseHeaders(("Bearer " + accepted).equals(auth) ? 200 : 401, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  static OperatorValueCheck check(HttpServer server) {
    return new OperatorValueCheck(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/models?org=x"),
        null,
        null,
        null,
        0);
  }

  @Test
  void theAcceptedValue_passes_sentOnceAsABearerToken() {
    probe.check("openai", check(provider), GOOD.getBytes(StandardCharsets.UTF_8));

    assertThat(seen).containsExactly("GET Bearer " + GOOD);
  }

  @Test
  void aRefusedValue_isOperatorValueRefusedNamingTheEndpointAndStatusButNeverTheValue() {
    ApplicationFailure refused =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> probe.check("openai", check(provider), BAD.getBytes(StandardCharsets.UTF_8)));

    assertThat(refused.getType()).isEqualTo(RotationErrors.OPERATOR_VALUE_REFUSED.name());
    assertThat(refused.isNonRetryable()).isTrue();
    assertThat(refused.getOriginalMessage())
        .contains("openai")
        .contains("/v1/models")
        .contains("status 401")
        .contains("expected 200")
        .doesNotContain(BAD)
        .doesNotContain("org=x");
  }

  @Test
  void anUnreachableProvider_isRefusedToo_andAValueWithALineBreakIsNeverSent() {
    OperatorValueCheck nowhere = check(provider);
    provider.stop(0);

    ApplicationFailure unreachable =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> probe.check("openai", nowhere, GOOD.getBytes(StandardCharsets.UTF_8)));
    ApplicationFailure injected =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                probe.check(
                    "openai", nowhere, (GOOD + "\r\nX-Evil: 1").getBytes(StandardCharsets.UTF_8)));

    assertThat(unreachable.getType()).isEqualTo(RotationErrors.OPERATOR_VALUE_REFUSED.name());
    assertThat(unreachable.getOriginalMessage()).contains("did not answer").doesNotContain(GOOD);
    assertThat(injected.getOriginalMessage()).contains("control characters").doesNotContain(GOOD);
  }
}
