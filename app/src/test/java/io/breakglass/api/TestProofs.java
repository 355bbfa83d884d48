package io.breakglass.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.api.cli.approval.SigningKeyFile;
import io.breakglass.workflows.approval.ApprovalStatement;
import io.breakglass.workflows.approval.PersonNames;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ed25519 keys and signed statements for tests, and a look inside a compact JWS. Each test person
 * has one key for the whole run, registered with the testbed's worker as {@code <person>-1} (see
 * {@link #registered}); {@link #ed25519()} makes a key nobody registered.
 */
public final class TestProofs {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, KeyPair> PEOPLE = new ConcurrentHashMap<>();

  private TestProofs() {}

  /** {@code person}'s registered key, the same for the whole test run. */
  public static KeyPair keyOf(String person) {
    return PEOPLE.computeIfAbsent(PersonNames.key(person), name -> ed25519());
  }

  /** The key id {@code person}'s registered key goes by. */
  public static String keyId(String person) {
    return PersonNames.key(person) + "-1";
  }

  /** The {@code rotation.approvals.keys} section registering the keys of {@code people}. */
  public static Map<String, Map<String, String>> registered(Iterable<String> people) {
    Map<String, Map<String, String>> keys = new TreeMap<>();
    for (String person : people) {
      byte[] spki = keyOf(person).getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
      keys.put(
          PersonNames.key(person), Map.of(keyId(person), Base64.getEncoder().encodeToString(raw)));
    }
    return keys;
  }

  /**
   * A statement by {@code subject} with their registered key for {@code binding}, valid for {@code
   * ttl}.
   */
  public static String statement(String subject, ProofBinding binding, Duration ttl) {
    Instant now = Instant.now();
    return ApprovalStatement.sign(
        keyOf(subject).getPrivate(), keyId(subject), subject, binding, now, now.plus(ttl));
  }

  /**
   * A statement by {@code subject} with their registered key for {@code binding}, valid for ten
   * minutes.
   */
  public static String statement(String subject, ProofBinding binding) {
    return statement(subject, binding, Duration.ofMinutes(10));
  }

  public static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every JDK 17", e);
    }
  }

  /**
   * A statement by {@code subject} for {@code binding} signed with {@code key}, valid for ten
   * minutes.
   */
  public static String statement(KeyPair key, String subject, ProofBinding binding) {
    Instant now = Instant.now();
    return ApprovalStatement.sign(
        key.getPrivate(), keyId(subject), subject, binding, now, now.plusSeconds(600));
  }

  /** The private key as PKCS#8 PEM, as {@code openssl genpkey -algorithm ed25519} writes it. */
  public static String pem(PrivateKey key) {
    return SigningKeyFile.pem(key.getEncoded());
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
