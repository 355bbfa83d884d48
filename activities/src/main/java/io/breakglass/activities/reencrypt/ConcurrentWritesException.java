package io.breakglass.activities.reencrypt;

/**
 * Items kept changing under a batch: the application rewrote them faster than the shard could
 * re-read and rewrite them. Retrying the shard later helps.
 */
public final class ConcurrentWritesException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConcurrentWritesException(int items, int rounds) {
    super(items + " item(s) changed under every one of " + rounds + " conditional writes");
  }
}
