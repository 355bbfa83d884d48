package io.breakglass.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.breakglass.api.auth.Caller;
import io.breakglass.api.auth.OidcConfig;
import io.breakglass.api.auth.Role;
import io.breakglass.workflows.approval.ApprovalStatement;
import io.breakglass.workflows.approval.ProofBinding;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's early look at a proof: a statement must be bound to this rotation and action and name
 * the caller (after normalisation), an identity provider's token must carry this action's nonce,
 * and neither may have expired. Each refusal has a matching proof beside it that passes.
 */
class ProofCheckTest {

  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final String ISSUER = "https://login.example.test/";
  private static final ProofBinding APPROVE_PROCEED =
      ProofBinding.gate("r1", GateName.PROCEED, Verdict.APPROVE);
  private static final Caller BOB = new Caller("bob", Set.of(Role.APPROVER));

  private static KeyPair bobsKey;
  private static RSAKey provider;
  private static ProofCheck check;

  @BeforeAll
  static void keys() throws Exception {
    bobsKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    provider = new RSAKeyGenerator(2048).keyID("p1").generate();
    check =
        new ProofCheck(
            new OidcConfig(
                ISSUER,
                "breakglass",
                URI.create("http://127.0.0.1:1/jwks"),
                "preferred_username",
                null,
                null),
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void aStatementByTheCaller_forThisRotationGateAndVerdict_passes() {
    assertThatCode(
            () -> check.check("proof", statement("bob", APPROVE_PROCEED), BOB, APPROVE_PROCEED))
        .doesNotThrowAnyException();
    assertThatCode(() -> check.check("proof", null, BOB, APPROVE_PROCEED))
        .doesNotThrowAnyException();
  }

  @Test
  void aStatementBySomeoneElse_is403_butCaseSpaceAndUnicodeVariantsOfTheCaller_pass() {
    WebApplicationException refused = refusal(statement("carol", APPROVE_PROCEED), APPROVE_PROCEED);

    assertThat(refused.getResponse().getStatus()).isEqualTo(403);
    assertThat(refused.getMessage())
        .isEqualTo("proof is a statement by carol, but the caller is bob");
    for (String sameBob : new String[] {"Bob", " BOB ", "\uff42\uff4f\uff42"}) {
      assertThatCode(
              () -> check.check("proof", statement(sameBob, APPROVE_PROCEED), BOB, APPROVE_PROCEED))
          .as(sameBob)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void aStatementForAnotherRotationGateVerdictOrTheStart_is422_namingBoth() {
    ProofBinding[] others = {
      ProofBinding.gate("r2", GateName.PROCEED, Verdict.APPROVE),
      ProofBinding.gate("r1", GateName.REVOKE, Verdict.APPROVE),
      ProofBinding.gate("r1", GateName.PROCEED, Verdict.REJECT),
      ProofBinding.start("r1"),
    };
    for (ProofBinding other : others) {
      WebApplicationException refused = refusal(statement("bob", other), APPROVE_PROCEED);

      assertThat(refused.getResponse().getStatus()).as(other.toString()).isEqualTo(422);
      assertThat(refused.getMessage())
          .contains("statement for rotation " + other.rotationId() + ", action " + other.action())
          .contains("this request is rotation r1, action PROCEED:APPROVE");
    }
  }

  @Test
  void anExpiredStatement_is422_whileOneWithinTheClockSkew_passes() {
    String expired =
        ApprovalStatement.sign(
            bobsKey.getPrivate(),
            "bob-1",
            "bob",
            APPROVE_PROCEED,
            NOW.minusSeconds(900),
            NOW.minusSeconds(61));
    String justExpired =
        ApprovalStatement.sign(
            bobsKey.getPrivate(),
            "bob-1",
            "bob",
            APPROVE_PROCEED,
            NOW.minusSeconds(900),
            NOW.minusSeconds(30));

    assertThat(refusal(expired, APPROVE_PROCEED).getMessage())
        .contains("expired at 2026-12-03T09:58:59Z");
    assertThatCode(() -> check.check("proof", justExpired, BOB, APPROVE_PROCEED))
        .doesNotThrowAnyException();
  }

  @Test
  void anUnreadableProof_orAStatementNotSignedWithEdDsa_is422() {
    WebApplicationException unreadable = refusal("abc.def.ghi", APPROVE_PROCEED);
    String[] parts = statement("bob", APPROVE_PROCEED).split("\\.");
    String hs256 = part("{\"alg\":\"HS256\"}") + "." + parts[1] + "." + parts[2];

    assertThat(unreadable.getResponse().getStatus()).isEqualTo(422);
    assertThat(unreadable.getMessage()).contains("not a readable JWS");
    assertThat(refusal(hs256, APPROVE_PROCEED).getMessage()).contains("alg EdDSA");
    assertThat(refusal("a.b", APPROVE_PROCEED).getMessage()).contains("compact JWS");
  }

  @Test
  void anIdTokenWithThisActionsNonce_passes_anotherNonceOrNone_is422() throws Exception {
    String bound = idToken("bob", APPROVE_PROCEED.nonce());
    String otherGate =
        idToken("bob", ProofBinding.gate("r1", GateName.REVOKE, Verdict.APPROVE).nonce());
    String accessToken = idToken("bob", null);

    assertThatCode(() -> check.check("proof", bound, BOB, APPROVE_PROCEED))
        .doesNotThrowAnyException();
    assertThat(refusal(otherGate, APPROVE_PROCEED).getMessage())
        .contains("must carry nonce " + APPROVE_PROCEED.nonce());
    WebApplicationException access = refusal(accessToken, APPROVE_PROCEED);
    assertThat(access.getResponse().getStatus()).isEqualTo(422);
    assertThat(access.getMessage()).contains("an access token is not a proof");
  }

  @Test
  void anIdTokenOfTheApisIssuer_namingSomeoneElse_is403() throws Exception {
    WebApplicationException refused =
        refusal(idToken("carol", APPROVE_PROCEED.nonce()), APPROVE_PROCEED);

    assertThat(refused.getResponse().getStatus()).isEqualTo(403);
    assertThat(refused.getMessage()).isEqualTo("proof is a token of carol, but the caller is bob");
  }

  @Test
  void withoutABinding_theSubjectAndANonceAreStillChecked() throws Exception {
    ProofBinding any = ProofBinding.gate("r9", GateName.REVOKE, Verdict.APPROVE);

    assertThatCode(() -> check.check("proof", statement("bob", any), BOB, null))
        .doesNotThrowAnyException();
    assertThat(
            catchThrowableOfType(
                    WebApplicationException.class,
                    () -> check.check("proof", statement("carol", any), BOB, null))
                .getResponse()
                .getStatus())
        .isEqualTo(403);
    assertThat(
            catchThrowableOfType(
                    WebApplicationException.class,
                    () -> check.check("proof", idToken("bob", null), BOB, null))
                .getMessage())
        .contains("carries no nonce");
  }

  private static WebApplicationException refusal(String proof, ProofBinding binding) {
    WebApplicationException refused =
        catchThrowableOfType(
            WebApplicationException.class, () -> check.check("proof", proof, BOB, binding));
    assertThat(refused).as("refused").isNotNull();
    return refused;
  }

  private static String statement(String subject, ProofBinding binding) {
    return ApprovalStatement.sign(
        bobsKey.getPrivate(), "bob-1", subject, binding, NOW, NOW.plus(Duration.ofMinutes(10)));
  }

  private static String idToken(String name, String nonce) throws Exception {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience("breakglass")
            .subject("u-" + name)
            .claim("preferred_username", name)
            .expirationTime(Date.from(NOW.plusSeconds(300)));
    if (nonce != null) {
      claims.claim("nonce", nonce);
    }
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("p1").build(), claims.build());
    jwt.sign(new RSASSASigner(provider));
    return jwt.serialize();
  }

  private static String part(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
