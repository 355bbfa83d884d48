package io.breakglass.workflows.approval;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Optional;

/**
 * The JWS algorithms a proof may be signed with. Everything else is refused by name, {@code none}
 * and the HMAC algorithms first of all: a proof must be verifiable with public keys only.
 */
enum JwsAlgorithm {
  /** RSASSA-PKCS1-v1_5 with SHA-256; the key has at least 2048 bits. */
  RS256("SHA256withRSA", 0),
  /**
   * ECDSA on P-256 with SHA-256. JOSE writes the signature as R||S, 32 bytes each; the JCA's P1363
   * form reads exactly that (the DER form would need it rewrapped).
   */
  ES256("SHA256withECDSAinP1363Format", 64),
  /** Ed25519. */
  EdDSA("Ed25519", 64);

  private final String jca;
  private final int signatureLength;

  JwsAlgorithm(String jca, int signatureLength) {
    this.jca = jca;
    this.signatureLength = signatureLength;
  }

  /** The algorithm a JWS header's {@code alg} names, if it is one of these. */
  static Optional<JwsAlgorithm> named(String alg) {
    for (JwsAlgorithm algorithm : values()) {
      if (algorithm.name().equals(alg)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }

  /**
   * True when {@code signature} is this algorithm's signature of {@code input} under {@code key}.
   */
  boolean verifies(PublicKey key, byte[] input, byte[] signature) {
    if (signatureLength > 0 && signature.length != signatureLength) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(jca);
      verifier.initVerify(key);
      verifier.update(input);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException invalid) {
      // A signature the provider cannot even parse is simply not a valid one.
      return false;
    }
  }
}
