package io.breakglass.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.api.ApiTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The refusals Jetty makes before the API's error mapper sees a request carry the API's error shape
 * too, on the application and the admin port: sent over a raw socket, since {@code HttpClient}
 * refuses to send most of these requests.
 */
class ServerRefusalsTest extends ApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Request → the status Jetty refuses it with. */
  private static final Map<String, Integer> HOSTILE = new LinkedHashMap<>();

  static {
    HOSTILE.put(request("GET", "/api/rotations", "Bad Header: x\r\n"), 400);
    HOSTILE.put(request("GET", "/api/rotations", "X-Control: a\u0001b\r\n"), 400);
    HOSTILE.put(request("GET", "/api/rotations/a%2Fb", ""), 400);
    HOSTILE.put(request("GET", "/api/rotations/a%00b", ""), 400);
    HOSTILE.put(request("GET", "/api/rotations/%2e%2e/audit", ""), 400);
    HOSTILE.put(request("POST", "/api/rotations/r1/restarts/a%0Ab", ""), 400);
    HOSTILE.put(request("GET", "/api/" + "a".repeat(20_000), ""), 414);
    HOSTILE.put(request("GET", "/api/rotations", "X-Big: " + "a".repeat(20_000) + "\r\n"), 431);
    HOSTILE.put(request("TRACE", "/api/rotations", ""), 405);
    HOSTILE.put(request("BREW", "/api/rotations", ""), 405);
    HOSTILE.put(request("POST", "/api/rotations", "Content-Length: twelve\r\n"), 400);
    HOSTILE.put("GET /api/rotations HTTP/1.1\r\nConnection: close\r\n\r\n", 400);
    HOSTILE.put("GET /api/rotations HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n", 505);
  }

  @Test
  void everyRefusalBeforeTheApi_isJsonInTheApisShape_onBothPorts() {
    for (int port : new int[] {testbed.app().getLocalPort(), testbed.app().getAdminPort()}) {
      HOSTILE.forEach(
          (request, status) ->
              assertApiShape(RawHttp.exchange(port, request), status, port + " " + shown(request)));
    }
    assertApiShape(
        RawHttp.exchange(testbed.app().getAdminPort(), request("GET", "/no-such-page", "")),
        404,
        "admin 404");
  }

  @Test
  void aHeadRefusal_hasTheJsonTypeButNoBody() {
    RawHttp.Answer head =
        RawHttp.exchange(testbed.app().getLocalPort(), request("HEAD", "/api/rotations/a%2Fb", ""));

    assertThat(head.status()).isEqualTo(400);
    assertThat(head.header("Content-Type")).startsWith("application/json");
    assertThat(head.body()).isEmpty();
  }

  @Test
  void aServerErrorJettyAnswers_carriesAnErrorId_andNeverItsCause() throws Exception {
    HttpFields.Mutable headers = HttpFields.build();
    String body =
        StandardCharsets.UTF_8
            .decode(new JsonErrorHandler().badMessageError(500, "boom \"<x>\"", headers))
            .toString();

    assertThat(headers.get("Content-Type")).isEqualTo("application/json");
    assertThat(JSON.readTree(body).path("message").asText())
        .matches("internal error \\(id [0-9a-f]{16}\\)");
  }

  @Test
  void negativeControl_jettysOwnErrorHandler_answersHtmlOrNothing_whichTheCheckRefuses()
      throws Exception {
    Server plain = new Server();
    ServerConnector connector = new ServerConnector(plain);
    connector.setHost("127.0.0.1");
    plain.addConnector(connector);
    plain.start();
    try {
      RawHttp.Answer html =
          RawHttp.exchange(connector.getLocalPort(), request("GET", "/a%2Fb", "Bad Header: x\r\n"));
      assertThat(html.status()).isEqualTo(400);
      assertThat(html.header("Content-Type")).startsWith("text/html");
      assertThat(shapeProblem(html, 400)).isNotNull();

      plain.setErrorHandler(new JsonErrorHandler());
      RawHttp.Answer json =
          RawHttp.exchange(connector.getLocalPort(), request("GET", "/a%2Fb", "Bad Header: x\r\n"));
      assertThat(shapeProblem(json, 400)).isNull();
    } finally {
      plain.stop();
    }
  }

  private static void assertApiShape(RawHttp.Answer answer, int status, String what) {
    assertThat(shapeProblem(answer, status)).as(what + ":\n" + answer.raw()).isNull();
  }

  /**
   * Null when the answer has the status, a JSON content type and {@code {"code": status, "message":
   * "..."}}.
   */
  private static String shapeProblem(RawHttp.Answer answer, int status) {
    if (answer.status() != status) {
      return "status " + answer.status();
    }
    String type = answer.header("Content-Type");
    if (type == null || !type.startsWith("application/json")) {
      return "content type " + type;
    }
    try {
      JsonNode body = JSON.readTree(answer.body());
      if (body == null
          || body.path("code").asInt() != status
          || body.path("message").asText().isBlank()) {
        return "body " + answer.body();
      }
      if (answer.body().contains("<") || answer.body().contains("Exception")) {
        return "markup or a stack trace in " + answer.body();
      }
    } catch (IOException e) {
      return "not JSON: " + answer.body();
    }
    return null;
  }

  private static String request(String method, String path, String headers) {
    return method
        + " "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + headers
        + "Connection: close\r\n\r\n";
  }

  private static String shown(String request) {
    String line = request.substring(0, request.indexOf("\r\n"));
    return line.length() > 80 ? line.substring(0, 80) + "…" : line;
  }
}
