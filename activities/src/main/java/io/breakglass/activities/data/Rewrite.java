package io.breakglass.activities.data;

/**
 * A conditional write: replace the item's value only if it still holds what was read.
 *
 * @param key the item's key
 * @param expected the value read (compared in full, not only its key id)
 * @param replacement the value to store
 */
public record Rewrite(String key, byte[] expected, byte[] replacement) {

  @Override
  public String toString() {
    return "Rewrite[" + key + "]";
  }
}
