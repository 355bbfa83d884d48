package io.breakglass.workflows.activities;

import io.temporal.activity.ActivityInterface;

/** BACKUP and the restore the contingency path needs. */
@ActivityInterface
public interface BackupActivities {

  /**
   * Writes an encrypted, checksummed snapshot of one data set and verifies it by restoring a sample
   * into a scratch area and decrypting it. The backup id derives from the rotation id, so a retry
   * replaces a partial attempt instead of adding another. Heartbeats while it streams.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code BACKUP_FAILED} when the sample does not
   *     restore and decrypt
   */
  BackupRecord backup(BackupRequest request);

  /**
   * Puts back, from the backup, every item of the data set that does not decrypt now; items that
   * decrypt are left alone, so no application write made since the backup is lost. Idempotent.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code RESTORE_FAILED} when the backup is
   *     missing or its checksum does not match
   */
  RestoreResult restoreUndecryptable(RestoreRequest request);

  /**
   * @param rotationId the rotation
   * @param dataSet the data set to back up
   */
  record BackupRequest(String rotationId, String dataSet) {}

  /**
   * @param dataSet the data set
   * @param backupId the backup's id
   * @param location where it is, for humans
   * @param items items in it
   * @param bytes its encrypted size
   * @param sha256 hex checksum of the encrypted file
   * @param sampleVerified items of the sample that restored and decrypted
   * @param databaseDump the whole-database dump of the data set's database, in one line: where, its
   *     checksum and its verified restore, or why it was not taken; null when none is configured
   */
  record BackupRecord(
      String dataSet,
      String backupId,
      String location,
      long items,
      long bytes,
      String sha256,
      int sampleVerified,
      String databaseDump) {

    /** A record without a whole-database dump. */
    public BackupRecord(
        String dataSet,
        String backupId,
        String location,
        long items,
        long bytes,
        String sha256,
        int sampleVerified) {
      this(dataSet, backupId, location, items, bytes, sha256, sampleVerified, null);
    }

    /** This record with {@code summary} as its whole-database dump line. */
    public BackupRecord withDatabaseDump(String summary) {
      return new BackupRecord(
          dataSet, backupId, location, items, bytes, sha256, sampleVerified, summary);
    }
  }

  /**
   * @param rotationId the rotation
   * @param dataSet the data set
   * @param backupId the backup to restore from
   */
  record RestoreRequest(String rotationId, String dataSet, String backupId) {}

  /**
   * @param dataSet the data set
   * @param restored items put back from the backup
   * @param stillUndecryptable items that do not decrypt and are not in the backup
   */
  record RestoreResult(String dataSet, long restored, long stillUndecryptable) {}
}
