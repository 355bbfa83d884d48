package io.breakglass.workflows;

/**
 * Whether a decision (or a start) counts: the identity it counts for, or why it is refused.
 *
 * @param identity who decides, when it counts
 * @param refusal why it does not, else null
 * @param needsIssuerKeys refused only because the identity provider's key is not held yet: a fresh
 *     JWKS may change the answer
 */
record Judgement(Identity identity, String refusal, boolean needsIssuerKeys) {

  static Judgement counts(Identity identity) {
    return new Judgement(identity, null, false);
  }

  static Judgement refused(String reason) {
    return new Judgement(null, reason, false);
  }

  static Judgement refusedForUnknownKey(String reason) {
    return new Judgement(null, reason, true);
  }

  boolean isRefused() {
    return refusal != null;
  }
}
