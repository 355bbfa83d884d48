package io.breakglass.workflows.approval;

/**
 * What a verified proof establishes.
 *
 * @param subject the person it speaks for: the token's name claim, or the statement's {@code sub}
 * @param method how it was verified: {@code oidc <issuer>} or {@code ed25519 <kid>}
 * @param replayKey a digest of the signed part (header and claims), the same for every copy of the
 *     proof, so that one proof counts once
 */
public record VerifiedProof(String subject, String method, String replayKey) {}
