package io.breakglass.workflows.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * An approval statement signed with the approver's registered Ed25519 key: a compact JWS ({@code
 * alg} EdDSA) whose claims name the approver ({@code sub}), the rotation ({@code rot}), the action
 * ({@code act}, see {@link ProofBinding}) and an expiry ({@code exp}, epoch seconds). {@code kid}
 * names the registered key. The statement is what an operator pastes as {@code proof} into the
 * Temporal UI's signal form, or what the CLI and the console send for them.
 */
public final class ApprovalStatement {

  /** The {@code iss} of every statement, so one is never taken for an identity provider's token. */
  public static final String ISSUER = "breakglass-approval";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private ApprovalStatement() {}

  /**
   * Signs a statement.
   *
   * @param key the approver's Ed25519 private key
   * @param keyId the id under which its public key is registered
   * @param subject the approver (or initiator) the statement speaks for
   * @param binding the rotation and action it vouches for
   * @param issuedAt when it was signed
   * @param expiresAt when it stops counting
   */
  public static String sign(
      PrivateKey key,
      String keyId,
      String subject,
      ProofBinding binding,
      Instant issuedAt,
      Instant expiresAt) {
    ObjectNode header =
        JSON.createObjectNode().put("alg", "EdDSA").put("typ", "JWT").put("kid", keyId);
    ObjectNode claims =
        JSON.createObjectNode()
            .put("iss", ISSUER)
            .put("sub", subject)
            .put("rot", binding.rotationId())
            .put("act", binding.action())
            .put("iat", issuedAt.getEpochSecond())
            .put("exp", expiresAt.getEpochSecond());
    String signingInput = part(header) + "." + part(claims);
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initSign(key);
      ed25519.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(ed25519.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the key cannot sign an Ed25519 statement: " + e.getMessage());
    }
  }

  private static String part(ObjectNode json) {
    return B64.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }
}
