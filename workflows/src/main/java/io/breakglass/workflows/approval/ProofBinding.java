package io.breakglass.workflows.approval;

import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * What one proof vouches for: a rotation and one action on it ({@code START}, or a gate and a
 * verdict such as {@code PROCEED:APPROVE}, or {@code PROCEED:OVERRIDE} for an approval that
 * overrides a failed pre-flight). A signed statement carries it as its {@code rot} and {@code act}
 * claims; an identity provider's token carries {@link #nonce()}, which the console or CLI asked the
 * provider to put in the token. Either way a proof made for one rotation, gate or verdict is worth
 * nothing for another.
 *
 * <p>The way back after REVOKE has actions of its own, {@code UNREVOKE} and {@code
 * UNREVOKE:<VERDICT>}: its gate is named {@code REVOKE} like the rotation's last gate, and an
 * approval of that gate must not count for bringing the revoked version back.
 *
 * @param rotationId the rotation
 * @param action {@code START}, {@code <GATE>:<VERDICT>}, {@code <GATE>:OVERRIDE}, {@code UNREVOKE}
 *     or {@code UNREVOKE:<VERDICT>}
 */
public record ProofBinding(String rotationId, String action) {

  /** The action of starting a rotation. */
  public static final String START = "START";

  /**
   * The verdict part of an approval that overrides a failed pre-flight: {@code PROCEED:OVERRIDE}.
   */
  public static final String OVERRIDE = "OVERRIDE";

  /** The action of asking for an un-revoke of one of the rotation's revoked versions. */
  public static final String UNREVOKE = "UNREVOKE";

  /** Binds the start of rotation {@code rotationId}. */
  public static ProofBinding start(String rotationId) {
    return new ProofBinding(rotationId, START);
  }

  /** Binds {@code verdict} on gate {@code gate} of rotation {@code rotationId}. */
  public static ProofBinding gate(String rotationId, GateName gate, Verdict verdict) {
    return new ProofBinding(rotationId, gate.name() + ":" + verdict.name());
  }

  /**
   * Binds an approval of gate {@code gate} that overrides its failed pre-flight: a plain approval's
   * proof is worth nothing for it, and its proof nothing for a plain approval.
   */
  public static ProofBinding override(String rotationId, GateName gate) {
    return new ProofBinding(rotationId, gate.name() + ":" + OVERRIDE);
  }

  /** Binds asking for an un-revoke after rotation {@code rotationId}. */
  public static ProofBinding unrevoke(String rotationId) {
    return new ProofBinding(rotationId, UNREVOKE);
  }

  /** Binds {@code verdict} on the un-revoke gate after rotation {@code rotationId}. */
  public static ProofBinding unrevokeGate(String rotationId, Verdict verdict) {
    return new ProofBinding(rotationId, UNREVOKE + ":" + verdict.name());
  }

  /**
   * The OIDC {@code nonce} that binds a token to this action: base64url (no padding) of the SHA-256
   * of {@code breakglass-proof-v1}, the rotation id and the action, one per line.
   */
  public String nonce() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  ("breakglass-proof-v1\n" + rotationId + "\n" + action)
                      .getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException("SHA-256 is part of every JDK", missing);
    }
  }
}
