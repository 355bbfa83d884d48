package io.breakglass.activities.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * Where backups go and how they are checked.
 *
 * @param directory the backup folder (a mounted volume in production)
 * @param sampleSize items restored into a scratch area and decrypted to verify each backup
 *     (default 20)
 */
public record BackupConfig(@NotNull Path directory, @Min(1) int sampleSize) {

  public BackupConfig {
    sampleSize = sampleSize == 0 ? 20 : sampleSize;
  }
}
