package io.breakglass.activities.data;

/**
 * A conditional write: replace the item's value only if it is still what was read.
 *
 * @param key the item's key
 * @param expected the value read
 * @param expectedVersion the version read ({@link StoredItem#version()}), or null where the store
 *     has none; a store with versions compares the version, one without compares the value in full
 * @param replacement the value to store
 */
public record Rewrite(String key, byte[] expected, String expectedVersion, byte[] replacement) {

  /** Replaces what {@code read} holds with {@code replacement}, if it still holds it. */
  public static Rewrite of(StoredItem read, byte[] replacement) {
    return new Rewrite(read.key(), read.value(), read.version(), replacement);
  }

  @Override
  public String toString() {
    return "Rewrite[" + key + "]";
  }
}
