package io.breakglass.activities.backup;

import io.breakglass.activities.data.StoredItem;
import java.io.IOException;

/** The items of a decrypted backup, read one at a time in backup order. */
interface BackupItems {

  /**
   * The next item, its key and its value as backed up, or null after the last one.
   *
   * @throws UnusableBackupException when the backup's content is not in its layout
   */
  StoredItem next() throws IOException;
}
