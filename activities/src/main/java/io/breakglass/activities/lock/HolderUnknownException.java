package io.breakglass.activities.lock;

/**
 * Temporal did not say whether a lock's holder still runs. The lock is then neither granted nor
 * taken over: a holder that cannot be seen is never assumed gone.
 */
public final class HolderUnknownException extends RuntimeException {

  public HolderUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
