package io.breakglass.activities.data;

/**
 * An item as stored: its key (row id or relative path) and its stored bytes (an envelope).
 *
 * @param key the item's key
 * @param value the stored bytes, exactly as read
 */
public record StoredItem(String key, byte[] value) {

  @Override
  public String toString() {
    return "StoredItem[" + key + ", " + value.length + " bytes]";
  }
}
