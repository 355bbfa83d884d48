package io.breakglass.worker.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /session} with {@code Authorization: Bearer <JWT>}: the JWT-protected call of the
 * backend. A token that {@link SessionTokens} verifies answers 200 {@code {"subject","keyId"}} (the
 * version that verified it); any other answers 401 and logs {@code session.refused} with the
 * reason, never the token.
 */
final class SessionRoutes implements HttpHandler {

  static final String PATH = "/session";
  private static final String BEARER = "Bearer ";

  private final SessionTokens tokens;
  private final LoadedKeyring keyring;
  private final EventLog log;

  SessionRoutes(String signingSecret, ServiceState state) {
    this.tokens = new SessionTokens(signingSecret);
    this.keyring = state.keyring();
    this.log = state.log();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(PATH)) {
      HttpReplies.status(exchange, 404);
      return;
    }
    if (!exchange.getRequestMethod().equals("GET")) {
      HttpReplies.status(exchange, 405);
      return;
    }
    String presented = exchange.getRequestHeaders().getFirst("Authorization");
    SessionTokens.Verdict verdict =
        presented == null || !presented.startsWith(BEARER)
            ? SessionTokens.Verdict.refused("no bearer token")
            : tokens.verify(
                presented.substring(BEARER.length()).trim(), keyring.get(), Instant.now());
    if (verdict.refusal() != null) {
      log.write("session.refused", Map.of("reason", verdict.refusal()));
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      HttpReplies.json(exchange, 401, Map.of("error", "invalid_token"));
      return;
    }
    HttpReplies.json(
        exchange, 200, Map.of("subject", verdict.subject(), "keyId", verdict.keyId().toString()));
  }
}
