package io.breakglass.activities.backup;

import java.io.IOException;

/** The items of a decrypted backup, read one at a time in backup order. */
interface BackupItems {

  /**
   * The next item, or null after the last one. A {@link BackupEntry.Streamed} entry's content is
   * read from the backup itself: read it before asking for the next entry, or it is skipped.
   *
   * @throws UnusableBackupException when the backup's content is not in its layout
   */
  BackupEntry next() throws IOException;
}
