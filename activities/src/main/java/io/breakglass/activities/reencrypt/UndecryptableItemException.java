package io.breakglass.activities.reencrypt;

import io.breakglass.activities.crypto.EnvelopeException;

/** An item of a shard does not decrypt; the shard stops before writing its batch. */
public final class UndecryptableItemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  public UndecryptableItemException(String key, EnvelopeException cause) {
    super("item " + key + " does not decrypt: " + cause.getMessage(), cause);
    this.key = key;
  }

  /** The item's key (row id or path), never its content. */
  public String key() {
    return key;
  }
}
