package io.breakglass.activities.crypto;

import java.util.Random;
import java.util.stream.IntStream;

/** Single-bit tampering: copies with one bit flipped, and which bits of a region to flip. */
final class BitFlips {

  /** Envelopes up to this many stored bytes are flipped at every bit; larger ones are sampled. */
  static final int EVERY_BIT_UP_TO_BYTES = 1024;

  static final int SAMPLED_BITS = 32;

  private BitFlips() {}

  /** A copy of {@code bytes} with bit {@code bit} (0 is the low bit of byte 0) flipped. */
  static byte[] flip(byte[] bytes, int bit) {
    byte[] flipped = bytes.clone();
    flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
    return flipped;
  }

  /**
   * The bits of a {@code regionBits}-bit region to flip in an envelope of {@code envelopeBytes}
   * stored bytes: all of them for a small envelope, a seeded sample for a large one.
   */
  static int[] positions(Random random, int envelopeBytes, int regionBits) {
    if (envelopeBytes <= EVERY_BIT_UP_TO_BYTES || regionBits == 0) {
      return IntStream.range(0, regionBits).toArray();
    }
    return random.ints(SAMPLED_BITS, 0, regionBits).toArray();
  }
}
