package io.breakglass.workflows;

import io.temporal.failure.ApplicationFailure;

/**
 * Every way a rotation can fail, by name. The {@link #name()} is the {@link ApplicationFailure}
 * type, so operators, tests and the API match on it; messages carry ids of what failed (secret,
 * version id, data set, item id), never secret material.
 */
public enum RotationErrors {
  /** The request is malformed (missing rotation id, unknown field values, bad duration). */
  INVALID_REQUEST(false),
  /** A secret named in the request is not configured. */
  UNKNOWN_SECRET(false),
  /**
   * Another rotation that is still running holds the lock on a secret of the request: one rotation
   * per secret. The message names the secret and the rotation in flight.
   */
  SECRET_LOCKED(false),
  /** A data set, deployment or check refers to something that is not configured. */
  INVALID_CONFIGURATION(false),
  /** Another version of the secret already carries PENDING: a human must look first. */
  STALE_PENDING(false),
  /** The same idempotency token was used with a different value. */
  IDEMPOTENCY_CONFLICT(false),
  /** An operator-supplied secret (API key) has no pending value yet. */
  OPERATOR_VALUE_MISSING(false),
  /**
   * An operator-supplied value failed its check against the provider (or the check could not run).
   */
  OPERATOR_VALUE_REFUSED(false),
  /** A secret or version the operation names does not exist. */
  VERSION_NOT_FOUND(false),
  /** The operation would break a key lifecycle rule (revoke CURRENT, promote a revoked version). */
  ILLEGAL_KEY_STATE(false),
  /** The secret store is unreachable or locked; retrying may help. */
  SECRET_STORE_UNAVAILABLE(true),
  /** A key id in a ciphertext has no version in the keyring. */
  UNKNOWN_KEY_ID(false),
  /** One or more stored items cannot be decrypted; the dry-run scan lists them. */
  UNDECRYPTABLE_ITEMS(false),
  /** The data store is unreachable; retrying may help. */
  DATA_STORE_UNAVAILABLE(true),
  /** VERIFY_DATA found items still under an old key id, or undecryptable ones. */
  VERIFICATION_FAILED(false),
  /** The backup could not be written or its test restore did not decrypt. */
  BACKUP_FAILED(false),
  /** The backup a restore needs is missing or does not match its checksum. */
  RESTORE_FAILED(false),
  /**
   * A deployment target could not be reached or written (keyring file, API server); retrying may
   * help.
   */
  DEPLOYMENT_UNAVAILABLE(true),
  /** Pods did not become ready after a restart (or the operator said so). */
  RESTART_FAILED(false),
  /** A smoke check failed. */
  SMOKE_TEST_FAILED(false),
  /**
   * METRIC_WATCH failed: a metric analysis exceeded its failure limit, or the log scan found a
   * problem.
   */
  METRIC_CHECK_FAILED(false),
  /** A gate was rejected by an approver. */
  GATE_REJECTED(false),
  /** A gate did not collect its approvals before its deadline. */
  GATE_TIMED_OUT(false),
  /** An operator chose to roll back at a contingency or halt. */
  ROLLED_BACK_BY_OPERATOR(false),
  /** A compensation kept failing and an operator skipped it: the system needs manual repair. */
  COMPENSATION_FAILED(false),
  /**
   * An approval, rejection or resume breaks a rule (initiator, duplicate, gate not open, a proof
   * missing, invalid, for another action or used before).
   */
  DECISION_REFUSED(false),
  /**
   * Where proofs are required, the start request carries none, or one that does not prove its
   * {@code initiator} started this rotation (or asked for this un-revoke).
   */
  UNVERIFIED_INITIATOR(false),
  /** The identity provider's keys (JWKS) could not be fetched; retrying may help. */
  IDENTITY_PROVIDER_UNAVAILABLE(true),
  /** Breakglass's own database (timeline, audit) is unreachable; retrying may help. */
  AUDIT_UNAVAILABLE(true),
  /** A notification could not be delivered; retrying may help. */
  NOTIFICATION_FAILED(true),
  /**
   * A receiver refused a notification (an HTTP 4xx other than 408 and 429); retrying will not help.
   */
  NOTIFICATION_REFUSED(false),
  /**
   * An un-revoke was asked for more than {@code revokeRecoveryWindow} after the rotation revoked
   * the version, or its approvals did not come before the window closed: the version stays revoked.
   */
  RECOVERY_WINDOW_CLOSED(false),
  /**
   * An un-revoke names a rotation that is unknown, did not complete, did not rotate that secret, or
   * whose revoked version of it is not revoked (any more): there is nothing to bring back.
   */
  NOT_RECOVERABLE(false),
  /**
   * No key of the provider's project matches the replaced version of an API key (or more than one
   * does): it cannot be revoked there by id.
   */
  PROVIDER_KEY_NOT_FOUND(false),
  /** The provider refused the admin key (401, 403) or the request; retrying will not help. */
  PROVIDER_REFUSED(false),
  /**
   * The provider that issued an API key did not answer, or answered 429 or 5xx; retrying may help.
   */
  PROVIDER_UNAVAILABLE(true),
  /** A step failed for a reason not listed above (a timeout, retries used up). */
  STEP_FAILED(false);

  private final boolean retryable;

  RotationErrors(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether an activity retry can help; non-retryable errors end the activity at once. */
  public boolean retryable() {
    return retryable;
  }

  /** A failure of this type, retryable or not as the type says. */
  public ApplicationFailure failure(String message) {
    return retryable
        ? ApplicationFailure.newFailure(message, name())
        : ApplicationFailure.newNonRetryableFailure(message, name());
  }

  /** A failure of this type with a cause (which must itself hold no secret material). */
  public ApplicationFailure failure(String message, Throwable cause) {
    return retryable
        ? ApplicationFailure.newFailureWithCause(message, name(), cause)
        : ApplicationFailure.newNonRetryableFailureWithCause(message, name(), cause);
  }

  /** True when {@code type} (an {@link ApplicationFailure#getType()}) names this error. */
  public boolean is(String type) {
    return name().equals(type);
  }
}
