package io.breakglass.workflows.approval;

import static io.breakglass.workflows.approval.ProofRefusedException.refused;

import io.breakglass.workflows.messages.values.Jwk;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Public keys from their published forms, through the JCA only: a JWK (RSA {@code n}/{@code e}, EC
 * P-256 {@code x}/{@code y}, OKP Ed25519 {@code x}) or a registered raw Ed25519 key. A key that
 * does not fit the algorithm a proof names is refused, so no token picks its own verification.
 */
public final class PublicKeys {

  /** The smallest RSA modulus accepted. */
  static final int MIN_RSA_BITS = 2048;

  /** The largest RSA modulus accepted, so that no key makes a verification take long. */
  static final int MAX_RSA_BITS = 8192;

  /** The DER prefix of an X.509 SubjectPublicKeyInfo holding a raw 32-byte Ed25519 key. */
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private PublicKeys() {}

  /** The key {@code jwk} publishes, checked to be the kind {@code algorithm} verifies with. */
  static PublicKey fromJwk(Jwk jwk, JwsAlgorithm algorithm) throws ProofRefusedException {
    if (jwk.use() != null && !"sig".equals(jwk.use())) {
      throw refused("the identity provider's key " + jwk.kid() + " is not for signatures");
    }
    if (jwk.alg() != null && !jwk.alg().equals(algorithm.name())) {
      throw refused(
          "the identity provider's key "
              + jwk.kid()
              + " is for "
              + jwk.alg()
              + ", not "
              + algorithm);
    }
    return switch (algorithm) {
      case RS256 -> {
        require("RSA".equals(jwk.kty()), jwk, algorithm);
        yield rsa(jwk.n(), jwk.e());
      }
      case ES256 -> {
        require("EC".equals(jwk.kty()) && "P-256".equals(jwk.crv()), jwk, algorithm);
        yield p256(jwk.x(), jwk.y());
      }
      case EdDSA -> {
        require("OKP".equals(jwk.kty()) && "Ed25519".equals(jwk.crv()), jwk, algorithm);
        yield ed25519(bytes(jwk.x(), "x"));
      }
    };
  }

  /** A registered Ed25519 key: 32 bytes, base64 or base64url, padded or not. */
  public static PublicKey registeredEd25519(String encoded) throws ProofRefusedException {
    return ed25519(bytes(encoded, "registered key"));
  }

  private static void require(boolean fits, Jwk jwk, JwsAlgorithm algorithm)
      throws ProofRefusedException {
    if (!fits) {
      throw refused(
          "the identity provider's key "
              + jwk.kid()
              + " ("
              + jwk.kty()
              + (jwk.crv() == null ? "" : " " + jwk.crv())
              + ") cannot verify "
              + algorithm);
    }
  }

  private static PublicKey rsa(String n, String e) throws ProofRefusedException {
    try {
      PublicKey key =
          KeyFactory.getInstance("RSA")
              .generatePublic(
                  new RSAPublicKeySpec(
                      new BigInteger(1, bytes(n, "n")), new BigInteger(1, bytes(e, "e"))));
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        throw refused(
            "the identity provider's RSA key has "
                + bits
                + " bits; accepted: "
                + MIN_RSA_BITS
                + " to "
                + MAX_RSA_BITS);
      }
      return key;
    } catch (GeneralSecurityException invalid) {
      throw refused("the identity provider's RSA key is not valid");
    }
  }

  private static PublicKey p256(String x, String y) throws ProofRefusedException {
    byte[] xBytes = bytes(x, "x");
    byte[] yBytes = bytes(y, "y");
    if (xBytes.length != 32 || yBytes.length != 32) {
      throw refused("the identity provider's P-256 key does not have 32-byte coordinates");
    }
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
      ECPoint point = new ECPoint(new BigInteger(1, xBytes), new BigInteger(1, yBytes));
      if (!onCurve(point, p256.getCurve())) {
        throw refused("the identity provider's P-256 key is not a point on the curve");
      }
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, p256));
    } catch (GeneralSecurityException invalid) {
      throw refused("the identity provider's P-256 key is not valid");
    }
  }

  /** y² = x³ + ax + b (mod p), with both coordinates below p. */
  private static boolean onCurve(ECPoint point, EllipticCurve curve) {
    BigInteger p = ((java.security.spec.ECFieldFp) curve.getField()).getP();
    BigInteger x = point.getAffineX();
    BigInteger y = point.getAffineY();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger left = y.modPow(BigInteger.TWO, p);
    BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
    return left.equals(right);
  }

  private static PublicKey ed25519(byte[] raw) throws ProofRefusedException {
    if (raw.length != 32) {
      throw refused("an Ed25519 public key is 32 bytes, not " + raw.length);
    }
    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException invalid) {
      throw refused("the Ed25519 public key is not valid");
    }
  }

  /** Base64url or base64, padded or not; refused when absent or not base64. */
  private static byte[] bytes(String encoded, String member) throws ProofRefusedException {
    if (encoded == null || encoded.isEmpty()) {
      throw refused("the key has no " + member);
    }
    String url = encoded.replace('+', '-').replace('/', '_');
    int end = url.length();
    while (end > 0 && url.charAt(end - 1) == '=') {
      end--;
    }
    try {
      return Base64.getUrlDecoder().decode(url.substring(0, end));
    } catch (IllegalArgumentException malformed) {
      throw refused("the key's " + member + " is not base64url");
    }
  }
}
