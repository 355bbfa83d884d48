package io.breakglass.activities.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A uniform random sample of at most {@code size} elements of a stream of unknown length, in memory
 * for {@code size} elements only (reservoir sampling, algorithm R).
 */
final class Reservoir<T> {

  private final int size;
  private final List<T> sample = new ArrayList<>();
  private long seen;

  Reservoir(int size) {
    this.size = size;
  }

  /**
   * Offers the next element of the stream.
   *
   * @return whether it is in the sample now (it may be replaced later)
   */
  boolean offer(T element) {
    seen++;
    if (sample.size() < size) {
      sample.add(element);
      return true;
    }
    long slot = ThreadLocalRandom.current().nextLong(seen);
    if (slot < size) {
      sample.set((int) slot, element);
      return true;
    }
    return false;
  }

  List<T> sample() {
    return List.copyOf(sample);
  }
}
