package io.breakglass.activities.data;

/**
 * An item as stored: its key (row id or relative path), its stored bytes (an envelope), and the
 * version of the item that was read where the store has one.
 *
 * @param key the item's key
 * @param value the stored bytes, exactly as read
 * @param version the store's token for this version of the item (a PostgreSQL row's {@code xmin},
 *     which every write of the row changes), or null where the store has none
 */
public record StoredItem(String key, byte[] value, String version) {

  /** An item of a store without versions (files, backups). */
  public StoredItem(String key, byte[] value) {
    this(key, value, null);
  }

  @Override
  public String toString() {
    return "StoredItem[" + key + ", " + value.length + " bytes]";
  }
}
