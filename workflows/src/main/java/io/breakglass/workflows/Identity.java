package io.breakglass.workflows;

import io.breakglass.workflows.approval.PersonNames;
import io.breakglass.workflows.approval.VerifiedProof;

/**
 * Who decides, as far as the workflow can tell: the person a verified proof names, or the bare name
 * an unsigned decision gave (where unsigned decisions are allowed).
 *
 * @param name the person, as shown
 * @param key the name compared: see {@link PersonNames#key}
 * @param verified whether a proof established it
 * @param verification how: {@code oidc <issuer>}, {@code ed25519 <kid>}, or why not verified
 * @param replayKey the proof's replay key, or null for an unsigned decision
 */
record Identity(String name, String key, boolean verified, String verification, String replayKey) {

  static Identity proven(VerifiedProof proof) {
    return new Identity(
        proof.subject(), PersonNames.key(proof.subject()), true, proof.method(), proof.replayKey());
  }

  static Identity unverified(String name, String why) {
    String shown = name.strip();
    return new Identity(shown, PersonNames.key(shown), false, why, null);
  }

  /** "verified: oidc …" or "unverified (…)", as the timeline and the status say it. */
  String how() {
    return verified ? "verified: " + verification : verification;
  }

  /** {@code text} followed by how the decider was verified, for a timeline entry. */
  String annotate(String text) {
    return (text == null || text.isBlank() ? "" : text + " ") + "[" + how() + "]";
  }
}
