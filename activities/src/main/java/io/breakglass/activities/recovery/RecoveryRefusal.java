package io.breakglass.activities.recovery;

/**
 * There is nothing to bring back: the rotation is unknown, did not complete, did not rotate the
 * secret, or revoked no version of it. The message names the rotation and the secret, never
 * material.
 */
public final class RecoveryRefusal extends RuntimeException {

  public RecoveryRefusal(String message) {
    super(message);
  }
}
