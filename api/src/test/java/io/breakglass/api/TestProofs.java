package io.breakglass.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.workflows.approval.ApprovalStatement;
import io.breakglass.workflows.approval.ProofBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Ed25519 keys and signed statements for tests, and a look inside a compact JWS. */
public final class TestProofs {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestProofs() {}

  public static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every JDK 17", e);
    }
  }

  /** A statement by {@code subject} for {@code binding}, valid for {@code ttl} from now. */
  public static String statement(KeyPair key, String subject, ProofBinding binding, Duration ttl) {
    Instant now = Instant.now();
    return ApprovalStatement.sign(key.getPrivate(), subject + "-key", subject, binding, now, now.plus(ttl));
  }

  /** A statement by {@code subject} for {@code binding}, valid for ten minutes. */
  public static String statement(KeyPair key, String subject, ProofBinding binding) {
    return statement(key, subject, binding, Duration.ofMinutes(10));
  }

  /** The private key as PKCS#8 PEM, as {@code openssl genpkey -algorithm ed25519} writes it. */
  public static String pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** Whether {@code jws} carries a valid Ed25519 signature by {@code key}. */
  public static boolean verifies(String jws, PublicKey key) {
    int dot = jws.lastIndexOf('.');
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initVerify(key);
      ed25519.update(jws.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
      return ed25519.verify(Base64.getUrlDecoder().decode(jws.substring(dot + 1)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  public static JsonNode header(String jws) {
    return part(jws, 0);
  }

  public static JsonNode claims(String jws) {
    return part(jws, 1);
  }

  private static JsonNode part(String jws, int index) {
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(jws.split("\\.")[index]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
