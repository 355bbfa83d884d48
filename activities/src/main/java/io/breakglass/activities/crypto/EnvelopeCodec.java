package io.breakglass.activities.crypto;

/** One encoding of envelope v1 as stored bytes. */
public interface EnvelopeCodec {

  /**
   * Reads stored bytes; throws {@link EnvelopeException} for anything that is not a v1 envelope.
   */
  Envelope decode(byte[] stored);

  /** The stored form of {@code envelope}. */
  byte[] encode(Envelope envelope);
}
