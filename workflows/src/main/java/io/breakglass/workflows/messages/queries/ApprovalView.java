package io.breakglass.workflows.messages.queries;

import java.time.Instant;

/**
 * One approval a gate counted.
 *
 * @param approver who approved
 * @param comment their comment
 * @param at when
 * @param verified whether a proof established who approved
 * @param verification how: {@code oidc <issuer>}, {@code ed25519 <kid>}, or {@code unverified
 *     (allowUnsigned)}
 */
public record ApprovalView(
    String approver, String comment, Instant at, boolean verified, String verification) {

  /** An approval whose verification is not known. */
  public ApprovalView(String approver, String comment, Instant at) {
    this(approver, comment, at, false, null);
  }
}
