package io.breakglass.workflows.approval;

/**
 * A proof that does not prove what it was given for. The message says which rule it breaks, in
 * words for the refusal list; it never holds the proof itself.
 */
public final class ProofRefusedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean unknownIssuerKey;

  private ProofRefusedException(String reason, boolean unknownIssuerKey) {
    super(reason, null, false, false);
    this.unknownIssuerKey = unknownIssuerKey;
  }

  static ProofRefusedException refused(String reason) {
    return new ProofRefusedException(reason, false);
  }

  /**
   * Refused because the identity provider's key is not among those held: fetching them may help.
   */
  static ProofRefusedException unknownIssuerKey(String reason) {
    return new ProofRefusedException(reason, true);
  }

  /**
   * True when the token names a key id the held JWKS does not have: the identity provider may have
   * rotated its keys, and a fresh JWKS may verify it.
   */
  public boolean unknownIssuerKey() {
    return unknownIssuerKey;
  }
}
