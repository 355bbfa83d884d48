package io.breakglass.workflows.approval;

import io.breakglass.workflows.messages.values.ApproverKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/** A person with an Ed25519 key registered under {@code keyId}, who signs approval statements. */
public record TestApprover(String person, String keyId, KeyPair keys) {

  public static TestApprover create(String person) {
    try {
      return new TestApprover(
          person, person + "-2026", KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The registration of this person's public key, as configuration has it. */
  public ApproverKey registered() {
    byte[] spki = keys.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    return new ApproverKey(person, keyId, Base64.getEncoder().encodeToString(raw));
  }

  /** A statement for {@code binding}, issued at {@code now}, valid 15 minutes. */
  public String sign(ProofBinding binding, Instant now) {
    return sign(binding, now, now.plus(Duration.ofMinutes(15)));
  }

  public String sign(ProofBinding binding, Instant now, Instant expires) {
    return ApprovalStatement.sign(keys.getPrivate(), keyId, person, binding, now, expires);
  }

  /** A statement claiming to be {@code subject}, signed with this person's key. */
  public String signAs(String subject, ProofBinding binding, Instant now) {
    return ApprovalStatement.sign(
        keys.getPrivate(), keyId, subject, binding, now, now.plus(Duration.ofMinutes(15)));
  }
}
