package io.breakglass.workflows.approval;

import static io.breakglass.workflows.approval.TestIdentityProvider.AUDIENCE;
import static io.breakglass.workflows.approval.TestIdentityProvider.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breakglass.workflows.messages.values.ApprovalPolicy;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Jwk;
import io.breakglass.workflows.messages.values.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The verifier on its own: every way a proof can fail to prove, each refused with its reason, and
 * beside each the valid proof that passes (the negative control that shows the check can pass).
 */
class ProofVerifierTest {

  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final ProofBinding PROCEED =
      ProofBinding.gate("r1", GateName.PROCEED, Verdict.APPROVE);

  private final TestIdentityProvider idp = new TestIdentityProvider();
  private final TestApprover bob = TestApprover.create("bob");
  private final TestApprover carol = TestApprover.create("carol");
  private final ApprovalPolicy policy =
      new ApprovalPolicy(
          false,
          ISSUER,
          AUDIENCE,
          "preferred_username",
          Duration.ofSeconds(30),
          Duration.ofHours(1),
          List.of(bob.registered(), carol.registered()));
  private final ProofVerifier verifier = new ProofVerifier(policy, idp.jwks());

  // ---- identity-provider tokens ---------------------------------------------------------------

  @Test
  void validRs256AndEs256Tokens_proveTheirNameClaim() throws Exception {
    VerifiedProof rs256 = verifier.verify(idp.token("bob", PROCEED, NOW).sign(), PROCEED, NOW);
    VerifiedProof es256 =
        verifier.verify(idp.token("bob", PROCEED, NOW).es256().sign(), PROCEED, NOW);

    assertThat(rs256.subject()).isEqualTo("bob");
    assertThat(rs256.method()).isEqualTo("oidc " + ISSUER);
    assertThat(es256.subject()).isEqualTo("bob");
  }

  @Test
  void anEd25519TokenOfTheProvider_verifiesWithItsOkpKey() throws Exception {
    KeyPair okp = TestApprover.create("idp").keys();
    byte[] raw = okp.getPublic().getEncoded();
    String x =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(Arrays.copyOfRange(raw, raw.length - 32, raw.length));
    ProofVerifier withOkp =
        new ProofVerifier(
            policy,
            TestIdentityProvider.both(
                idp.jwks(),
                List.of(new Jwk("OKP", "okp-1", "EdDSA", "sig", "Ed25519", null, null, x, null))));

    assertThat(
            withOkp
                .verify(idp.token("bob", PROCEED, NOW).eddsa("okp-1", okp).sign(), PROCEED, NOW)
                .subject())
        .isEqualTo("bob");
    assertThat(refusal(withOkp, idp.token("bob", PROCEED, NOW).eddsa("okp-1", carol.keys()).sign()))
        .contains("signature does not verify");
  }

  @Test
  void algNone_andHmacSignedWithThePublicKey_areRefusedByName() {
    String none =
        TestIdentityProvider.unsigned(
            "{\"alg\":\"none\",\"kid\":\"" + idp.rsaKid() + "\"}",
            claimsOf(idp.token("bob", PROCEED, NOW).sign()),
            new byte[] {1});
    String header = "{\"alg\":\"HS256\",\"kid\":\"" + idp.rsaKid() + "\"}";
    String claims = claimsOf(idp.token("bob", PROCEED, NOW).sign());
    String hs256 = TestIdentityProvider.unsigned(header, claims, hmac(header, claims));

    assertThat(refusal(verifier, none))
        .contains("alg 'none' is not accepted")
        .contains("proves nothing");
    assertThat(refusal(verifier, hs256)).contains("alg 'HS256' is not accepted");
  }

  @Test
  void aKidTheProviderDoesNotHave_isRefusedAsUnknown_soTheWorkflowMayFetchAgain() {
    ProofRefusedException unknown =
        refused(verifier, idp.token("bob", PROCEED, NOW).header("kid", "rotated-in").sign());
    ProofRefusedException noKeysYet =
        refused(new ProofVerifier(policy, List.of()), idp.token("bob", PROCEED, NOW).sign());

    assertThat(unknown.unknownIssuerKey()).isTrue();
    assertThat(unknown).hasMessageContaining("no key 'rotated-in'");
    assertThat(noKeysYet.unknownIssuerKey()).isTrue();
    assertThat(refused(verifier, idp.token("bob", PROCEED, NOW).header("kid", null).sign()))
        .hasMessageContaining("names no kid");
  }

  @Test
  void aTokenSignedByAnotherKey_orChangedAfterSigning_isRefused() throws Exception {
    String forged =
        idp.token("bob", PROCEED, NOW).signedBy(TestIdentityProvider.generate("RSA", 2048)).sign();
    String valid = idp.token("bob", PROCEED, NOW).sign();
    String[] parts = valid.split("\\.");
    String otherClaims =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                claimsOf(valid).replace("\"bob\"", "\"eve\"").getBytes(StandardCharsets.UTF_8));
    String tampered = parts[0] + "." + otherClaims + "." + parts[2];

    assertThat(refusal(verifier, forged)).contains("signature does not verify");
    assertThat(refusal(verifier, tampered)).contains("signature does not verify");
    assertThat(verifier.verify(valid, PROCEED, NOW).subject()).isEqualTo("bob");
  }

  @Test
  void aKeyOfAnotherKind_thanTheAlgNames_isRefused() {
    String rsaHeaderEcKey = idp.token("bob", PROCEED, NOW).header("kid", idp.ecKid()).sign();
    Jwk ec = idp.jwks().get(1);
    Jwk withoutAlg = new Jwk("EC", ec.kid(), null, null, "P-256", null, null, ec.x(), ec.y());

    assertThat(refusal(verifier, rsaHeaderEcKey)).contains("is for ES256, not RS256");
    assertThat(refusal(new ProofVerifier(policy, List.of(withoutAlg)), rsaHeaderEcKey))
        .contains("(EC P-256) cannot verify RS256");
  }

  @Test
  void aShortRsaKey_andAnEcPointOffTheCurve_areRefused() {
    KeyPair small = TestIdentityProvider.generate("RSA", 1024);
    RSAPublicKey weak = (RSAPublicKey) small.getPublic();
    Jwk weakJwk =
        new Jwk(
            "RSA",
            "weak",
            "RS256",
            "sig",
            null,
            TestIdentityProvider.unsigned(weak.getModulus(), 0),
            TestIdentityProvider.unsigned(weak.getPublicExponent(), 0),
            null,
            null);
    Jwk ec = idp.jwks().get(1);
    Jwk offCurve = new Jwk("EC", ec.kid(), "ES256", "sig", "P-256", null, null, ec.x(), ec.x());

    assertThat(
            refusal(
                new ProofVerifier(policy, List.of(weakJwk)),
                idp.token("bob", PROCEED, NOW).header("kid", "weak").signedBy(small).sign()))
        .contains("has 1024 bits; accepted: 2048 to 8192");
    assertThat(
            refusal(
                new ProofVerifier(policy, List.of(offCurve)),
                idp.token("bob", PROCEED, NOW).es256().sign()))
        .contains("not a point on the curve");
  }

  @Test
  void aTokenOfAnotherIssuer_orForAnotherAudience_isRefused_anAudienceListHoldingOursPasses()
      throws Exception {
    assertThat(
            refusal(
                verifier, idp.token("bob", PROCEED, NOW).claim("iss", "https://evil.test").sign()))
        .contains("issuer 'https://evil.test' is neither the configured identity provider");
    assertThat(refusal(verifier, idp.token("bob", PROCEED, NOW).claim("aud", "another-app").sign()))
        .contains("not for the audience " + AUDIENCE);
    assertThat(refusal(verifier, idp.token("bob", PROCEED, NOW).without("aud").sign()))
        .contains("not for the audience");

    String listed = idp.token("bob", PROCEED, NOW).sign();
    String claims =
        claimsOf(listed)
            .replace("\"aud\":\"" + AUDIENCE + "\"", "\"aud\":[\"other\",\"" + AUDIENCE + "\"]");
    assertThat(claims).contains("[\"other\"");
    assertThat(verifier.verify(resign(claims), PROCEED, NOW).subject()).isEqualTo("bob");
  }

  @Test
  void anExpiredToken_isRefused_withinTheLeewayItPasses() throws Exception {
    String expired =
        idp.token("bob", PROCEED, NOW).claim("exp", NOW.minusSeconds(31).getEpochSecond()).sign();
    String justExpired =
        idp.token("bob", PROCEED, NOW).claim("exp", NOW.minusSeconds(10).getEpochSecond()).sign();
    String noExpiry = idp.token("bob", PROCEED, NOW).without("exp").sign();
    String notYet =
        idp.token("bob", PROCEED, NOW).claim("nbf", NOW.plusSeconds(120).getEpochSecond()).sign();

    assertThat(refusal(verifier, expired)).contains("the token expired at");
    assertThat(refusal(verifier, noExpiry)).contains("has no exp");
    assertThat(refusal(verifier, notYet)).contains("not valid before");
    assertThat(verifier.verify(justExpired, PROCEED, NOW).subject()).isEqualTo("bob");
  }

  @Test
  void aTokenForAnotherRotationGateOrVerdict_isRefusedByItsNonce() throws Exception {
    for (ProofBinding other :
        List.of(
            ProofBinding.gate("r2", GateName.PROCEED, Verdict.APPROVE),
            ProofBinding.gate("r1", GateName.REVOKE, Verdict.APPROVE),
            ProofBinding.gate("r1", GateName.PROCEED, Verdict.REJECT),
            ProofBinding.start("r1"),
            ProofBinding.unrevokeGate("r1", Verdict.APPROVE))) {
      assertThat(refusal(verifier, idp.token("bob", other, NOW).sign()))
          .as(other.action())
          .contains("nonce is not the one for PROCEED:APPROVE of rotation r1");
    }
    assertThat(refusal(verifier, idp.token("bob", PROCEED, NOW).without("nonce").sign()))
        .contains("nonce");
    assertThat(verifier.verify(idp.token("bob", PROCEED, NOW).sign(), PROCEED, NOW).subject())
        .isEqualTo("bob");
  }

  @Test
  void aTokenWithoutTheNameClaim_isRefused() {
    assertThat(
            refusal(verifier, idp.token("bob", PROCEED, NOW).without("preferred_username").sign()))
        .contains("no preferred_username claim");
  }

  // ---- signed statements ----------------------------------------------------------------------

  @Test
  void aStatementSignedWithTheRegisteredKey_provesItsPerson() throws Exception {
    VerifiedProof proof = verifier.verify(bob.sign(PROCEED, NOW), PROCEED, NOW);

    assertThat(proof.subject()).isEqualTo("bob");
    assertThat(proof.method()).isEqualTo("ed25519 bob-2026");
  }

  @Test
  void aStatementSpeakingForSomeoneElse_orUnderAnUnregisteredKey_isRefused() {
    TestApprover mallory = TestApprover.create("mallory");

    assertThat(refusal(verifier, bob.signAs("carol", PROCEED, NOW)))
        .contains("speaks for 'carol', but key 'bob-2026' is registered to bob");
    assertThat(refusal(verifier, mallory.sign(PROCEED, NOW)))
        .contains("no approver key 'mallory-2026' is registered");
    // mallory signs under bob's key id: the registered key does not verify it.
    assertThat(
            refusal(
                verifier,
                ApprovalStatement.sign(
                    mallory.keys().getPrivate(),
                    "bob-2026",
                    "bob",
                    PROCEED,
                    NOW,
                    NOW.plusSeconds(600))))
        .contains("signature does not verify with the registered key 'bob-2026'");
  }

  @Test
  void aStatementForAnotherRotationOrAction_isRefused() {
    assertThat(
            refusal(
                verifier,
                bob.sign(ProofBinding.gate("r2", GateName.PROCEED, Verdict.APPROVE), NOW)))
        .contains("for rotation 'r2', not r1");
    assertThat(
            refusal(
                verifier, bob.sign(ProofBinding.gate("r1", GateName.REVOKE, Verdict.APPROVE), NOW)))
        .contains("is for 'REVOKE:APPROVE', not PROCEED:APPROVE");
    assertThat(
            refusal(
                verifier, bob.sign(ProofBinding.gate("r1", GateName.PROCEED, Verdict.REJECT), NOW)))
        .contains("is for 'PROCEED:REJECT'");
  }

  @Test
  void anExpiredStatement_orOneThatLivesTooLong_isRefused() throws Exception {
    assertThat(refusal(verifier, bob.sign(PROCEED, NOW.minusSeconds(3600), NOW.minusSeconds(60))))
        .contains("the statement expired at");
    assertThat(refusal(verifier, bob.sign(PROCEED, NOW, NOW.plus(Duration.ofHours(2)))))
        .contains("further ahead than the PT1H a statement may live");
    assertThat(
            verifier
                .verify(bob.sign(PROCEED, NOW, NOW.plus(Duration.ofMinutes(59))), PROCEED, NOW)
                .subject())
        .isEqualTo("bob");
  }

  @Test
  void aStatementSignedWithAnotherAlgorithm_isRefused() {
    String es256Statement =
        idp.token("bob", PROCEED, NOW)
            .es256()
            .claim("iss", ApprovalStatement.ISSUER)
            .header("kid", "bob-2026")
            .sign();

    assertThat(refusal(verifier, es256Statement))
        .contains("a signed statement uses EdDSA, not ES256");
  }

  @Test
  void namesCompareAfterNormalisation_soAWidthOrCaseVariantOfTheSubjectIsTheSamePerson()
      throws Exception {
    assertThat(verifier.verify(bob.signAs("ＢＯＢ ", PROCEED, NOW), PROCEED, NOW).subject())
        .isEqualTo("bob");
    assertThat(PersonNames.same("Alice", " alice ")).isTrue();
    assertThat(PersonNames.same("Alice", "ａｌｉｃｅ")).isTrue();
    assertThat(PersonNames.same("STRASSE", "straße")).isTrue();
    assertThat(PersonNames.same("alice", "alicia")).isFalse();
    assertThat("Alice".equals("ａｌｉｃｅ"))
        .as("negative control: plain equality tells them apart")
        .isFalse();
  }

  // ---- malformed input ------------------------------------------------------------------------

  @Test
  void malformedProofs_areRefusedWithTheReason_neverThrownAtTheWorkflow() {
    String valid = bob.sign(PROCEED, NOW);
    String[] parts = valid.split("\\.");
    String duplicate = "{\"alg\":\"EdDSA\",\"kid\":\"bob-2026\",\"kid\":\"carol-2026\"}";
    char last = parts[0].charAt(parts[0].length() - 1);
    String nonCanonical =
        parts[0].substring(0, parts[0].length() - 1)
            + (char) (last + 1)
            + "."
            + parts[1]
            + "."
            + parts[2];

    assertThat(refusal(verifier, parts[0] + "." + parts[1])).contains("three base64url parts");
    assertThat(refusal(verifier, parts[0] + ".a+b." + parts[2]))
        .contains("claims is not base64url");
    assertThat(refusal(verifier, nonCanonical)).contains("header is not");
    assertThat(refusal(verifier, valid + "A".repeat(CompactJws.MAX_LENGTH)))
        .contains("longer than 16384");
    assertThat(refusal(verifier, TestIdentityProvider.unsigned(duplicate, "{}", new byte[64])))
        .contains("repeats a member");
    assertThat(refusal(verifier, TestIdentityProvider.unsigned("[1]", "{}", new byte[64])))
        .contains("not a JSON object");
    assertThat(
            refusal(
                verifier,
                TestIdentityProvider.unsigned("{\"alg\":\"EdDSA\"} x", "{}", new byte[64])))
        .contains("not a JSON object");
    assertThat(
            refusal(
                verifier,
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(new byte[] {(byte) 0xff, 0x7b})
                    + "."
                    + parts[1]
                    + "."
                    + parts[2]))
        .contains("not UTF-8");
    assertThat(refusal(verifier, idp.token("bob", PROCEED, NOW).header("crit", "exp").sign()))
        .contains("critical");
    assertThat(refusal(verifier, idp.token("bob", PROCEED, NOW).claim("exp", "tomorrow").sign()))
        .contains("exp is not a number");
  }

  @Test
  void twoCopiesOfOneProof_shareTheirReplayKey_anotherProofHasItsOwn() throws Exception {
    String statement = bob.sign(PROCEED, NOW);

    assertThat(verifier.verify(statement, PROCEED, NOW).replayKey())
        .isEqualTo(verifier.verify(statement, PROCEED, NOW).replayKey())
        .isNotEqualTo(
            verifier.verify(bob.sign(PROCEED, NOW.plusSeconds(1)), PROCEED, NOW).replayKey());
  }

  // ---- helpers --------------------------------------------------------------------------------

  private String refusal(ProofVerifier verifier, String proof) {
    return refused(verifier, proof).getMessage();
  }

  private ProofRefusedException refused(ProofVerifier verifier, String proof) {
    ProofRefusedException refused =
        catchThrowableOfType(
            ProofRefusedException.class, () -> verifier.verify(proof, PROCEED, NOW));
    assertThat(refused).as("refused: " + proof).isNotNull();
    return refused;
  }

  private static String claimsOf(String token) {
    return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
  }

  /** {@code claims} under a valid RS256 signature of this provider (the test rewrites claims). */
  private String resign(String claims) {
    try {
      return idp.token("bob", PROCEED, NOW)
          .claims((ObjectNode) new ObjectMapper().readTree(claims))
          .sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] hmac(String header, String claims) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              idp.jwks().get(0).n().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      String input = TestIdentityProvider.unsigned(header, claims, new byte[0]);
      return mac.doFinal(
          input.substring(0, input.length() - 1).getBytes(StandardCharsets.US_ASCII));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
