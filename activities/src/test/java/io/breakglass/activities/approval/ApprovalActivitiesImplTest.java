package io.breakglass.activities.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.breakglass.activities.config.ApprovalIdentityProviderConfig;
import io.breakglass.activities.config.ApprovalsConfig;
import io.breakglass.workflows.RotationErrors;
import io.breakglass.workflows.activities.ApprovalActivities.IssuerKeys;
import io.breakglass.workflows.activities.ApprovalActivities.KeysRequest;
import io.breakglass.workflows.messages.values.Jwk;
import io.temporal.failure.ApplicationFailure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JWKS activity against an identity provider on loopback: only the public members of signing
 * keys reach the workflow (never a symmetric key or a private member a misconfigured JWKS holds);
 * an unreachable, failing or oversized JWKS is a retryable {@code IDENTITY_PROVIDER_UNAVAILABLE};
 * an issuer the configuration no longer names is {@code INVALID_CONFIGURATION}.
 */
class ApprovalActivitiesImplTest {

  private static final String ISSUER = "https://login.example.test/realms/ops";
  private static final String PRIVATE_D = "cHJpdmF0ZS1leHBvbmVudC1kLW11c3QtbmV2ZXItbGVhdmU";
  private static final String SYMMETRIC_K = "c3ltbWV0cmljLWtleS1tdXN0LW5ldmVyLWxlYXZl";
  private static final String JWKS =
      """
      {"keys":[
        {"kty":"RSA","kid":"rsa-1","alg":"RS256","use":"sig","n":"sXch","e":"AQAB","d":"%s","p":"cA","q":"cQ"},
        {"kty":"EC","kid":"ec-1","use":"sig","crv":"P-256","x":"eA","y":"eQ","d":"%s"},
        {"kty":"OKP","kid":"okp-1","crv":"Ed25519","x":"eA"},
        {"kty":"oct","kid":"hmac-1","k":"%s"},
        {"kty":"RSA","kid":"enc-1","use":"enc","n":"sXch","e":"AQAB"},
        {"kty":"RSA","use":"sig","n":"sXch","e":"AQAB"}
      ]}"""
          .formatted(PRIVATE_D, PRIVATE_D, SYMMETRIC_K);

  private final AtomicReference<String> body = new AtomicReference<>(JWKS);
  private final AtomicInteger status = new AtomicInteger(200);
  private HttpServer server;
  private ApprovalActivitiesImpl activities;

  @BeforeEach
  void startIdentityProvider() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/certs",
        exchange -> {
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    URI jwks = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/certs");
    activities =
        new ApprovalActivitiesImpl(
            new ApprovalsConfig(
                false,
                new ApprovalIdentityProviderConfig(ISSUER, "breakglass-approvals", jwks, null),
                null,
                null,
                null));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void onlyThePublicMembersOfSigningKeys_reachTheWorkflow() throws Exception {
    IssuerKeys keys = activities.issuerKeys(new KeysRequest("r1", ISSUER));
    String held = new ObjectMapper().writeValueAsString(keys);

    assertThat(keys.issuer()).isEqualTo(ISSUER);
    assertThat(keys.keys()).extracting(Jwk::kid).containsExactly("rsa-1", "ec-1", "okp-1");
    assertThat(keys.keys().get(0).n()).isEqualTo("sXch");
    assertThat(keys.keys().get(1).y()).isEqualTo("eQ");
    assertThat(held).doesNotContain(PRIVATE_D).doesNotContain(SYMMETRIC_K).doesNotContain("hmac-1");
    assertThat(JWKS)
        .as("negative control: the JWKS served does hold them")
        .contains(PRIVATE_D, SYMMETRIC_K);
  }

  @Test
  void aFailingOversizedOrMalformedJwks_isARetryableUnavailability() {
    status.set(503);
    ApplicationFailure failing = refused(ISSUER);
    status.set(200);
    body.set(
        "{\"keys\":["
            + "{\"kty\":\"RSA\",\"kid\":\"k\",\"n\":\"AA\",\"e\":\"AQAB\"},".repeat(7000)
            + "{}]}");
    ApplicationFailure oversized = refused(ISSUER);
    body.set("<html>maintenance</html>");
    ApplicationFailure notJson = refused(ISSUER);
    server.stop(0);
    ApplicationFailure unreachable = refused(ISSUER);

    assertThat(failing.getType()).isEqualTo(RotationErrors.IDENTITY_PROVIDER_UNAVAILABLE.name());
    assertThat(failing.isNonRetryable()).isFalse();
    assertThat(failing.getOriginalMessage()).endsWith("answered 503");
    assertThat(oversized.getOriginalMessage()).contains("larger than 262144 bytes");
    assertThat(notJson.getOriginalMessage()).contains("the JWKS is not JSON");
    assertThat(unreachable.getType())
        .isEqualTo(RotationErrors.IDENTITY_PROVIDER_UNAVAILABLE.name());
  }

  @Test
  void anIssuerTheConfigurationNoLongerNames_isAConfigurationError() {
    ApplicationFailure other = refused("https://old-idp.example.test/");
    ApplicationFailure none =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                new ApprovalActivitiesImpl(ApprovalsConfig.unsignedForDevelopment())
                    .issuerKeys(new KeysRequest("r1", ISSUER)));

    assertThat(other.getType()).isEqualTo(RotationErrors.INVALID_CONFIGURATION.name());
    assertThat(other.getOriginalMessage())
        .contains("the configured identity provider is now " + ISSUER);
    assertThat(none.getOriginalMessage()).contains("no identity provider is configured");
  }

  private ApplicationFailure refused(String issuer) {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.issuerKeys(new KeysRequest("r1", issuer)));
    assertThat(failure).isNotNull();
    return failure;
  }
}
