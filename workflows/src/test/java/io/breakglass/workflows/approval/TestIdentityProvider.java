package io.breakglass.workflows.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.breakglass.workflows.messages.values.Jwk;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * An identity provider for tests: an RSA and a P-256 signing key, their JWKS, and tokens minted the
 * way a provider mints them, every field open to a test that wants it wrong.
 */
public final class TestIdentityProvider {

  public static final String ISSUER = "https://idp.test/realms/ops";
  public static final String AUDIENCE = "breakglass-approvals";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final KeyPair rsa = generate("RSA", 2048);
  private final KeyPair ec = generateP256();
  private final String prefix;

  /**
   * @param prefix distinguishes this provider's key ids (a rotated provider has new ones)
   */
  public TestIdentityProvider(String prefix) {
    this.prefix = prefix;
  }

  public TestIdentityProvider() {
    this("k1");
  }

  public String rsaKid() {
    return prefix + "-rsa";
  }

  public String ecKid() {
    return prefix + "-ec";
  }

  /** The provider's JWKS: its RSA and P-256 public keys. */
  public List<Jwk> jwks() {
    RSAPublicKey rsaKey = (RSAPublicKey) rsa.getPublic();
    ECPublicKey ecKey = (ECPublicKey) ec.getPublic();
    return List.of(
        new Jwk(
            "RSA",
            rsaKid(),
            "RS256",
            "sig",
            null,
            unsigned(rsaKey.getModulus(), 0),
            unsigned(rsaKey.getPublicExponent(), 0),
            null,
            null),
        new Jwk(
            "EC",
            ecKid(),
            "ES256",
            "sig",
            "P-256",
            null,
            null,
            unsigned(ecKey.getW().getAffineX(), 32),
            unsigned(ecKey.getW().getAffineY(), 32)));
  }

  /**
   * A valid RS256 token for {@code person}, bound to {@code binding}, valid 10 minutes from {@code
   * now}.
   */
  public Token token(String person, ProofBinding binding, Instant now) {
    return new Token(person, binding, now);
  }

  /** A token as a provider would issue it; each setter makes it differ in one respect. */
  public final class Token {
    private final ObjectNode header = JSON.createObjectNode();
    private final ObjectNode claims = JSON.createObjectNode();
    private PrivateKey signer = rsa.getPrivate();
    private String jca = "SHA256withRSA";

    Token(String person, ProofBinding binding, Instant now) {
      header.put("alg", "RS256").put("typ", "JWT").put("kid", rsaKid());
      claims
          .put("iss", ISSUER)
          .put("aud", AUDIENCE)
          .put("sub", "f81d4fae-" + person)
          .put("preferred_username", person)
          .put("nonce", binding.nonce())
          .put("iat", now.getEpochSecond())
          .put("exp", now.plusSeconds(600).getEpochSecond());
    }

    /** Signed with the P-256 key, ES256, as JOSE writes it (R||S). */
    public Token es256() {
      header.put("alg", "ES256").put("kid", ecKid());
      signer = ec.getPrivate();
      jca = "SHA256withECDSAinP1363Format";
      return this;
    }

    public Token header(String name, String value) {
      header.put(name, value);
      return this;
    }

    public Token claim(String name, String value) {
      claims.put(name, value);
      return this;
    }

    public Token claim(String name, long value) {
      claims.put(name, value);
      return this;
    }

    /** Every claim replaced by {@code json}'s. */
    public Token claims(ObjectNode json) {
      claims.removeAll();
      claims.setAll(json);
      return this;
    }

    public Token without(String claim) {
      claims.remove(claim);
      return this;
    }

    /** Signed with an Ed25519 key published as an OKP JWK under {@code kid}. */
    public Token eddsa(String kid, KeyPair okp) {
      header.put("alg", "EdDSA").put("kid", kid);
      signer = okp.getPrivate();
      jca = "Ed25519";
      return this;
    }

    /** Signed with another key than the one its kid names. */
    public Token signedBy(KeyPair other) {
      signer = other.getPrivate();
      return this;
    }

    public String sign() {
      String input = part(header) + "." + part(claims);
      try {
        Signature signature = Signature.getInstance(jca);
        signature.initSign(signer);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(signature.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * A compact JWS of {@code header} and {@code claims} with {@code signature} as its third part.
   */
  public static String unsigned(String headerJson, String claimsJson, byte[] signature) {
    return B64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8))
        + "."
        + B64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8))
        + "."
        + B64.encodeToString(signature);
  }

  public static KeyPair generate(String algorithm, int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generateP256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String part(ObjectNode json) {
    return B64.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Big-endian, without a sign byte, left-padded to {@code length} when it is above 0. */
  static String unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (length > bytes.length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      bytes = padded;
    }
    return B64.encodeToString(bytes);
  }

  /** {@code keys} followed by {@code more}: a JWKS during a provider's key rotation. */
  public static List<Jwk> both(List<Jwk> keys, List<Jwk> more) {
    List<Jwk> all = new ArrayList<>(keys);
    all.addAll(more);
    return all;
  }
}
