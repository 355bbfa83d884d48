package io.breakglass.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.breakglass.api.ApiTest;
import io.breakglass.api.ApiTestbed;
import io.breakglass.api.BreakglassConfiguration;
import io.breakglass.worker.CodecKeys;
import io.breakglass.workflows.BreakglassDataConverter;
import io.breakglass.workflows.messages.commands.Approval;
import io.breakglass.workflows.messages.values.GateName;
import io.dropwizard.testing.DropwizardTestSupport;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The codec server as the real Temporal UI calls it: with {@code passAccessToken} the UI forwards
 * its own user's OIDC access token as {@code Authorization: Bearer}, from the UI's origin, after a
 * CORS preflight. Tokens are minted here in the shape an identity provider gives the UI (issuer,
 * the UI's audience, {@code email}, a {@code groups} array or a space-separated {@code scope}),
 * signed by a key of a JWKS this test serves. {@code codecServer.oidc} maps groups and scopes to
 * roles: a mapped group decodes, an unmapped one gets 403, an expired token 401.
 */
class TemporalUiCodecTest extends ApiTest {

  private static final String UI = "https://temporal-ui.example.test";
  private static final String ISSUER = "https://login.example.test/";
  private static final String UI_AUDIENCE = "temporal-ui";
  private static final String CANARY = "canary-ui-comment-" + UUID.randomUUID();

  private static HttpServer jwks;
  private static RSAKey signer;
  private static RSAKey stranger;
  private static DropwizardTestSupport<BreakglassConfiguration> api;
  private static DataConverter worker;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void anApiThatAcceptsTheUisTokens() throws Exception {
    signer = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    stranger = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    byte[] keys = new JWKSet(signer.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    jwks.createContext(
        "/jwks",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, keys.length);
          exchange.getResponseBody().write(keys);
          exchange.close();
        });
    jwks.start();
    Map<String, Object> oidc =
        Map.of(
            "issuer",
            ISSUER,
            "audience",
            UI_AUDIENCE,
            "jwksUrl",
            "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks",
            "nameClaim",
            "email",
            "roleMappings",
            List.of(
                Map.of(
                    "claim", "groups", "value", "breakglass-viewers", "roles", List.of("viewer")),
                Map.of(
                    "claim",
                    "groups",
                    "value",
                    "breakglass-approvers",
                    "roles",
                    List.of("approver")),
                Map.of(
                    "claim", "scope", "value", "breakglass.encode", "roles", List.of("operator"))));
    api =
        testbed.anotherApi(
            "temporal-ui",
            Map.of(),
            Map.of("codecServer", Map.of("allowedOrigins", List.of(UI), "oidc", oidc)));
    worker =
        BreakglassDataConverter.create(
            CodecKeys.load(testbed.stack().temporalConfig().codec(), System::getenv));
  }

  @AfterAll
  static void stop() {
    testbed.closeAnother(api);
    jwks.stop(0);
  }

  @Test
  void aUiUserInAMappedGroup_decodesWhatAWorkerEncrypted() throws Exception {
    Payload encrypted = worker.toPayload(approval()).orElseThrow();

    HttpResponse<String> response =
        codec(
            "/codec/decode",
            uiToken(c -> c.claim("groups", List.of("staff", "breakglass-viewers"))),
            encrypted);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
    Payload decoded = payloads(response.body()).get(0);
    assertThat(decoded.getData().toStringUtf8()).contains(CANARY);
  }

  @Test
  void aScopeMappedToOperator_encodes_andAViewerGroupMayNot() throws Exception {
    Payload plain = BreakglassDataConverter.create().toPayload(approval()).orElseThrow();

    HttpResponse<String> operator =
        codec(
            "/codec/encode",
            uiToken(c -> c.claim("scope", "openid email breakglass.encode")),
            plain);
    HttpResponse<String> viewer =
        codec(
            "/codec/encode", uiToken(c -> c.claim("groups", List.of("breakglass-viewers"))), plain);

    assertThat(operator.statusCode()).as(operator.body()).isEqualTo(200);
    assertThat(worker.fromPayload(payloads(operator.body()).get(0), Approval.class, Approval.class))
        .isEqualTo(approval());
    assertThat(viewer.statusCode()).isEqualTo(403);
  }

  @Test
  void anUnmappedGroup_is403_auditedUnderTheUisUser() throws Exception {
    Payload encrypted = worker.toPayload(approval()).orElseThrow();
    String user = "mallory-" + UUID.randomUUID() + "@example.test";

    HttpResponse<String> response =
        codec(
            "/codec/decode",
            uiToken(c -> c.claim("groups", List.of("marketing")).claim("email", user)),
            encrypted);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).doesNotContain(CANARY);
    JsonNode audit = ApiTestbed.json(testbed.get("ada", "/api/audit?limit=50"));
    assertThat(audit.findValuesAsText("actor")).contains(user);
  }

  @Test
  void anExpiredToken_is401() throws Exception {
    Payload encrypted = worker.toPayload(approval()).orElseThrow();
    String expired =
        uiToken(
            c ->
                c.claim("groups", List.of("breakglass-viewers"))
                    .expirationTime(Date.from(Instant.now().minusSeconds(600))));

    HttpResponse<String> response = codec("/codec/decode", expired, encrypted);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain(CANARY);
  }

  @Test
  void negativeControls_anotherAudience_anotherSigner_orTheUisTokenAtTheOperatorApi_are401()
      throws Exception {
    Payload encrypted = worker.toPayload(approval()).orElseThrow();
    UnaryOperator<JWTClaimsSet.Builder> viewer =
        c -> c.claim("groups", List.of("breakglass-viewers"));

    assertThat(
            codec("/codec/decode", uiToken(c -> viewer.apply(c).audience("another-app")), encrypted)
                .statusCode())
        .isEqualTo(401);
    assertThat(
            codec("/codec/decode", sign(stranger, viewer.apply(claims()).build()), encrypted)
                .statusCode())
        .isEqualTo(401);
    HttpResponse<String> operatorApi =
        http.send(
            HttpRequest.newBuilder(uri("/api/rotations"))
                .header("Authorization", "Bearer " + uiToken(viewer))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(operatorApi.statusCode())
        .as("the UI's tokens open the codec endpoints only")
        .isEqualTo(401);
  }

  @Test
  void theApisOwnTokens_stillOpenTheCodecEndpoints() throws Exception {
    Payload encrypted = worker.toPayload(approval()).orElseThrow();

    assertThat(codec("/codec/decode", ApiTestbed.token("vera"), encrypted).statusCode())
        .isEqualTo(200);
  }

  @Test
  void theUisPreflight_fromItsOrigin_isAnsweredWithoutAToken() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/codec/decode"))
                .header("Origin", UI)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,x-namespace")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
        .contains("Authorization", "Content-Type", "X-Namespace");
  }

  /** A POST as the UI sends it: its origin, the namespace header, the user's token as bearer. */
  private HttpResponse<String> codec(String endpoint, String token, Payload payload)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(endpoint))
            .header("Origin", UI)
            .header("X-Namespace", "default")
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JsonFormat.printer().print(Payloads.newBuilder().addPayloads(payload))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An access token of the UI's user, valid for five minutes, with {@code claims} added. */
  private static String uiToken(UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
    return sign(signer, claims.apply(claims()).build());
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(List.of(UI_AUDIENCE, "https://login.example.test/userinfo"))
        .subject("00u1a2b3c4")
        .claim("email", "vera@example.test")
        .issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plusSeconds(300)));
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static List<Payload> payloads(String json) throws Exception {
    Payloads.Builder payloads = Payloads.newBuilder();
    JsonFormat.parser().merge(json, payloads);
    return payloads.getPayloadsList();
  }

  private static Approval approval() {
    return new Approval(GateName.PROCEED, "bob", CANARY);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + api.getLocalPort() + path);
  }
}
