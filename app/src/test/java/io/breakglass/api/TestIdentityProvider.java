package io.breakglass.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * An identity provider for tests: a JWKS served on loopback and RS256 tokens signed by its key,
 * with the caller's name in {@code preferred_username} and roles in {@code roles}.
 */
public final class TestIdentityProvider implements AutoCloseable {

  public static final String ISSUER = "https://login.example.test/";
  public static final String AUDIENCE = "breakglass";

  private static TestIdentityProvider shared;

  private final RSAKey key;
  private final HttpServer jwks;

  /** The provider the API testbed's worker trusts for approvals, started once for the test run. */
  public static synchronized TestIdentityProvider shared() {
    if (shared == null) {
      try {
        shared = new TestIdentityProvider();
      } catch (IOException | JOSEException e) {
        throw new IllegalStateException("cannot start the shared test identity provider", e);
      }
    }
    return shared;
  }

  public TestIdentityProvider() throws IOException, JOSEException {
    key = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    jwks.createContext(
        "/jwks",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    jwks.start();
  }

  /** The {@code api.auth.oidc} section that trusts this provider. */
  public Map<String, Object> apiConfig() {
    return Map.of(
        "issuer",
        ISSUER,
        "audience",
        AUDIENCE,
        "jwksUrl",
        "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks",
        "nameClaim",
        "preferred_username",
        "rolesClaim",
        "roles");
  }

  /** The {@code rotation.approvals.oidc} section that trusts this provider's ID tokens. */
  public Map<String, Object> approvalsConfig() {
    return Map.of(
        "issuer", ISSUER,
        "audience", AUDIENCE,
        "jwksUri", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks");
  }

  /** An access token for {@code name} with {@code role}: no nonce, bound to no action. */
  public String accessToken(String name, String role) {
    return sign(claims(name, role).build());
  }

  /** An ID token for {@code name} whose {@code nonce} binds it to one action. */
  public String idToken(String name, String role, String nonce) {
    return sign(claims(name, role).claim("nonce", nonce).build());
  }

  private static JWTClaimsSet.Builder claims(String name, String role) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("u-" + name)
        .claim("preferred_username", name)
        .claim("roles", List.of(role))
        .expirationTime(Date.from(Instant.now().plusSeconds(600)));
  }

  private String sign(JWTClaimsSet claims) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  @Override
  public void close() {
    jwks.stop(0);
  }
}
