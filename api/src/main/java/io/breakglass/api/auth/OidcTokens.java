package io.breakglass.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OIDC access tokens: a JWT signed (RS256 or ES256) by a key the issuer publishes at its JWKS URL,
 * with the configured issuer and audience, not expired. The caller's name and roles come from the
 * configured claims and role mappings; role names Breakglass does not know are ignored. The JWKS is
 * fetched lazily and cached, and refetched when a token names an unknown key id.
 */
public final class OidcTokens implements Authenticator<String, Caller> {

  private static final Logger log = LoggerFactory.getLogger(OidcTokens.class);

  private final OidcConfig config;
  private final DefaultJWTProcessor<SecurityContext> processor;

  public OidcTokens(OidcConfig config) {
    this.config = config;
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.create(config.jwksUrl().toURL()).retrying(true).build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "api.auth.oidc.jwksUrl is not a URL: " + config.jwksUrl(), e);
    }
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            config.audience(),
            new JWTClaimsSet.Builder().issuer(config.issuer()).build(),
            Set.of("exp", config.nameClaim()));
    claims.setMaxClockSkew((int) config.clockSkew().toSeconds());
    processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** Three dot-separated parts: worth validating as a JWT rather than looking up as a token. */
  public static boolean looksLikeJwt(String token) {
    return token.chars().filter(c -> c == '.').count() == 2;
  }

  @Override
  public Optional<Caller> authenticate(String token) throws AuthenticationException {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException | BadJOSEException e) {
      // The reason (expired, wrong audience, bad signature) helps the operator; the token never
      // shows.
      log.info("OIDC token refused: {}", e.getMessage());
      return Optional.empty();
    } catch (JOSEException e) {
      throw new AuthenticationException("cannot validate OIDC tokens: " + e.getMessage(), e);
    }
    String name = claim(claims, config.nameClaim());
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new Caller(name, roles(claims)));
  }

  private Set<String> roles(JWTClaimsSet claims) {
    Set<String> roles =
        values(claims, config.rolesClaim()).stream()
            .filter(Role.ALL::contains)
            .collect(Collectors.toSet());
    for (RoleMapping mapping : config.roleMappings()) {
      if (values(claims, mapping.claim()).contains(mapping.value())) {
        roles.addAll(mapping.roles());
      }
    }
    return Set.copyOf(roles);
  }

  /**
   * A claim's values: a JSON array's items, or a string's space-separated words (OAuth's scope).
   */
  private static List<String> values(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return value == null ? List.of() : List.of(String.valueOf(value).strip().split("\\s+"));
  }

  private static String claim(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value == null ? null : String.valueOf(value);
  }
}
