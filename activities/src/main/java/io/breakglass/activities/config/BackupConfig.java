package io.breakglass.activities.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * Where backups go and how they are checked.
 *
 * @param directory the backup folder (a mounted volume in production)
 * @param sampleSize items restored into a scratch area and decrypted to verify each backup (default
 *     20)
 * @param s3 where verified backups are kept in S3; {@code directory} is then their spool
 * @param databaseDump a whole-database {@code pg_dump} of each table data set's database as well;
 *     null: the data sets' own backups only
 */
public record BackupConfig(
    @NotNull Path directory,
    @Min(1) int sampleSize,
    @Valid S3Location s3,
    @Valid DatabaseDumpConfig databaseDump) {

  public BackupConfig {
    sampleSize = sampleSize == 0 ? 20 : sampleSize;
  }

  /** Data set backups only, kept in {@code directory} or S3. */
  public BackupConfig(Path directory, int sampleSize, S3Location s3) {
    this(directory, sampleSize, s3, null);
  }

  /** Backups kept in {@code directory} only. */
  public BackupConfig(Path directory, int sampleSize) {
    this(directory, sampleSize, null, null);
  }
}
