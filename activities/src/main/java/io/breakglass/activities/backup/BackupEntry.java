package io.breakglass.activities.backup;

import io.breakglass.activities.data.StoredItem;
import java.io.InputStream;

/** One item of a decrypted backup, as {@link BackupItems} hands it out. */
sealed interface BackupEntry {

  /** The item's key: a row id or a path below the data set's root. */
  String key();

  /**
   * An item read into memory whole.
   *
   * @param item its key and its stored value as backed up
   */
  record Whole(StoredItem item) implements BackupEntry {

    @Override
    public String key() {
      return item.key();
    }
  }

  /**
   * An item too large for memory (an S3 object above its multipart threshold): its stored bytes as
   * a stream, valid only until the next entry is asked for. What is left unread then is skipped, so
   * a consumer may stop early.
   *
   * @param key the item's key
   * @param content its stored bytes as backed up; closing it does not close the backup
   */
  record Streamed(String key, InputStream content) implements BackupEntry {}
}
