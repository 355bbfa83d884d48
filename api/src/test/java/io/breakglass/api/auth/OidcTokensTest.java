package io.breakglass.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OIDC JWTs validated against a JWKS served by the test: signature, issuer, audience, expiry, roles
 * from the roles claim and from claim values by role mappings.
 */
class OidcTokensTest {

  private static final String ISSUER = "https://login.example.test/";
  private static final String AUDIENCE = "breakglass";

  private static HttpServer jwks;
  private static RSAKey key;
  private static RSAKey stranger;
  private static OidcTokens tokens;
  private static OidcTokens mapped;

  @BeforeAll
  static void aJwksEndpoint() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
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
    URI url = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks");
    tokens =
        new OidcTokens(
            new OidcConfig(
                ISSUER, AUDIENCE, url, "preferred_username", "roles", Duration.ofSeconds(5)));
    mapped =
        new OidcTokens(
            new OidcConfig(
                ISSUER,
                AUDIENCE,
                url,
                "preferred_username",
                null,
                Duration.ofSeconds(5),
                List.of(
                    new RoleMapping(
                        "groups", "breakglass-approvers", Set.of(Role.APPROVER, Role.VIEWER)),
                    new RoleMapping("scope", "breakglass.operate", Set.of(Role.OPERATOR)),
                    new RoleMapping("scp", "breakglass.admin", Set.of(Role.ADMIN)))));
  }

  @AfterAll
  static void stop() {
    jwks.stop(0);
  }

  @Test
  void aValidToken_namesTheCaller_withTheRolesBreakglassKnows() throws Exception {
    Optional<Caller> caller =
        tokens.authenticate(token(key, ISSUER, AUDIENCE, Instant.now().plusSeconds(300)));

    assertThat(caller)
        .hasValueSatisfying(
            c -> {
              assertThat(c.name()).isEqualTo("bob@example.test");
              assertThat(c.roles()).containsExactly(Role.APPROVER);
            });
  }

  @Test
  void aWrongSignature_issuer_audience_orExpiry_isRefused() throws Exception {
    Instant later = Instant.now().plusSeconds(300);

    assertThat(tokens.authenticate(token(stranger, ISSUER, AUDIENCE, later))).isEmpty();
    assertThat(tokens.authenticate(token(key, "https://evil.example.test/", AUDIENCE, later)))
        .isEmpty();
    assertThat(tokens.authenticate(token(key, ISSUER, "another-app", later))).isEmpty();
    assertThat(tokens.authenticate(token(key, ISSUER, AUDIENCE, Instant.now().minusSeconds(60))))
        .isEmpty();
    assertThat(tokens.authenticate("not.a.jwt")).isEmpty();
  }

  @Test
  void roleMappings_turnGroupsAndScopesIntoRoles_asArraysOrSpaceSeparatedStrings()
      throws Exception {
    Instant later = Instant.now().plusSeconds(300);

    assertThat(
            roles(mapped, claims(later).claim("groups", List.of("staff", "breakglass-approvers"))))
        .containsExactlyInAnyOrder(Role.APPROVER, Role.VIEWER);
    assertThat(roles(mapped, claims(later).claim("scope", "openid profile breakglass.operate")))
        .containsExactly(Role.OPERATOR);
    assertThat(roles(mapped, claims(later).claim("scp", List.of("breakglass.admin"))))
        .containsExactly(Role.ADMIN);
    assertThat(roles(mapped, claims(later).claim("scp", "breakglass.admin breakglass.operate")))
        .containsExactly(Role.ADMIN);
  }

  @Test
  void negativeControl_anUnmappedGroup_aValueInAnotherClaim_orAnotherCase_earnNoRole()
      throws Exception {
    Instant later = Instant.now().plusSeconds(300);

    assertThat(roles(mapped, claims(later).claim("groups", List.of("marketing")))).isEmpty();
    assertThat(roles(mapped, claims(later).claim("scope", "breakglass-approvers"))).isEmpty();
    assertThat(roles(mapped, claims(later).claim("groups", List.of("Breakglass-Approvers"))))
        .isEmpty();
    assertThat(roles(mapped, claims(later).claim("groups", "breakglass-approvers-old"))).isEmpty();
  }

  private static Set<String> roles(OidcTokens tokens, JWTClaimsSet.Builder claims)
      throws Exception {
    return tokens.authenticate(sign(key, claims.build())).orElseThrow().roles();
  }

  /** A token of bob's without roles, issued for {@link #AUDIENCE}. */
  private static JWTClaimsSet.Builder claims(Instant expires) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("u-123")
        .claim("preferred_username", "bob@example.test")
        .expirationTime(Date.from(expires));
  }

  private static String token(RSAKey signer, String issuer, String audience, Instant expires)
      throws Exception {
    return sign(
        signer,
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .subject("u-123")
            .claim("preferred_username", "bob@example.test")
            .claim("roles", List.of("approver", "superuser"))
            .expirationTime(Date.from(expires))
            .build());
  }

  private static String sign(RSAKey signer, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(signer));
    return jwt.serialize();
  }
}
