package io.breakglass.workflows.codec;

import io.temporal.payload.codec.PayloadCodecException;
import java.util.Set;
import java.util.TreeSet;

/**
 * A payload was encrypted with a codec key this keyring does not hold: the key was retired too
 * early, or this process is configured with another keyring than the one that wrote the history.
 */
public final class UnknownCodecKeyException extends PayloadCodecException {

  private final String keyId;

  UnknownCodecKeyException(String keyId, Set<String> known) {
    super(
        "payload encrypted with codec key "
            + keyId
            + ", which is not configured (configured: "
            + new TreeSet<>(known)
            + "); add it to temporal.codec.keys to read this history");
    this.keyId = keyId;
  }

  /** The key id the payload names. */
  public String keyId() {
    return keyId;
  }
}
