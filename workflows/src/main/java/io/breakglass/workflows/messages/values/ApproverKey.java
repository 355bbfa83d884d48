package io.breakglass.workflows.messages.values;

/**
 * One registered Ed25519 public key of a person who may start or approve rotations with a signed
 * statement. Public material only.
 *
 * @param person who holds the private key: a statement verified with it speaks for this person
 * @param keyId the {@code kid} a statement names to be checked with this key
 * @param publicKey the 32-byte Ed25519 public key, base64 or base64url
 */
public record ApproverKey(String person, String keyId, String publicKey) {}
