package io.breakglass.activities.secrets;

import io.breakglass.workflows.RotationErrors;

/**
 * A secret store refused or failed an operation. The error names the rule, the message names the
 * secret and version; neither holds secret material.
 */
public final class SecretStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final RotationErrors error;

  public SecretStoreException(RotationErrors error, String message) {
    super(message);
    this.error = error;
  }

  public SecretStoreException(RotationErrors error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  /** The rule broken, e.g. {@code STALE_PENDING}; its name is the activity failure type. */
  public RotationErrors error() {
    return error;
  }
}
