package io.breakglass.workflows.messages.values;

/** What an operator tells a halted rotation to do. Which actions apply depends on why it waits. */
public enum ResumeAction {
  /** Carry on after a {@code halt}. */
  CONTINUE,
  /** Run the failed step again (after the operator fixed its cause). */
  RETRY,
  /** Undo the rotation with its compensations. */
  ROLLBACK,
  /** Restore the undecryptable items from the backup, then undo the rotation. */
  RESTORE_AND_ROLLBACK,
  /** Go on although METRIC_WATCH was inconclusive (no usable data); recorded with who accepted. */
  ACCEPT,
  /** Leave a compensation that keeps failing to manual repair and go on with the others. */
  SKIP_STEP,
  /**
   * Put a deployment whose restart failed after REVOKE back on the revision it ran before that
   * restart, and go on (the keyring stays without the revoked versions).
   */
  UNDO_RESTART,
  /**
   * Confirm that the replaced API key was revoked at its provider by hand; the comment names the
   * provider's key id (never the key).
   */
  CONFIRM_REVOKED,
  /**
   * At REVOKE of a ROUTINE rotation: revoke too the versions an earlier rotation left usable
   * (ACCEPT keeps them, recorded).
   */
  REVOKE_LEFTOVERS
}
