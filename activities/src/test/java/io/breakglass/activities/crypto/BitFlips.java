package io.breakglass.activities.crypto;

import java.util.Random;
import java.util.stream.IntStream;

/** Single-bit tampering: copies with one bit flipped, and which bits of a region to flip. */
final class BitFlips {

  /** Regions up to this many bits are flipped at every position; larger ones are sampled. */
  static final int EVERY_BIT_UP_TO = 4096;

  static final int SAMPLED_BITS = 64;

  private BitFlips() {}

  /** A copy of {@code bytes} with bit {@code bit} (0 is the low bit of byte 0) flipped. */
  static byte[] flip(byte[] bytes, int bit) {
    byte[] flipped = bytes.clone();
    flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
    return flipped;
  }

  /** Every bit position of a small region, or a seeded sample of a large one. */
  static int[] positions(Random random, int bitCount) {
    if (bitCount <= EVERY_BIT_UP_TO) {
      return IntStream.range(0, bitCount).toArray();
    }
    return random.ints(SAMPLED_BITS, 0, bitCount).toArray();
  }
}
